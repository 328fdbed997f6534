package dev.linkwell.service.config;

/**
 * Why the service cannot start, in words for whoever runs it: what is wrong (the message) and what to change
 * ({@link #action()}). {@link StartupFailureAnalyzer} prints both first, in place of a stack trace.
 */
public class StartupFailure extends IllegalStateException {

    private final String action;

    public StartupFailure(String message, String action) {
        super(message);
        this.action = action;
    }

    public StartupFailure(String message, String action, Throwable cause) {
        super(message, cause);
        this.action = action;
    }

    /** A setting that cannot work: the message names it and says why. */
    public static StartupFailure badSetting(String message) {
        return new StartupFailure(
                message,
                "Change that setting (environment variable, .env line or --property argument) "
                        + "and start again; README.md, Configuration, lists every setting.");
    }

    public String action() {
        return action;
    }
}
