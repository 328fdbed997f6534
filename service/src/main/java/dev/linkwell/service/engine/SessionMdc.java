package dev.linkwell.service.engine;

import org.slf4j.MDC;

/** Runs code with a session's id in the SLF4J MDC (key {@code sessionId}), restoring what was there before. */
public final class SessionMdc {

    public static final String KEY = "sessionId";

    private SessionMdc() {}

    public static void run(String sessionId, Runnable action) {
        String previous = MDC.get(KEY);
        if (sessionId == null) {
            MDC.remove(KEY);
        } else {
            MDC.put(KEY, sessionId);
        }
        try {
            action.run();
        } finally {
            if (previous == null) {
                MDC.remove(KEY);
            } else {
                MDC.put(KEY, previous);
            }
        }
    }
}
