package dev.linkwell.service.session;

import java.util.function.Supplier;
import org.slf4j.MDC;

/** Puts the session id in the logging context ({@code sessionId}) while a piece of work for that session runs. */
final class SessionMdc {

    static final String KEY = "sessionId";

    private SessionMdc() {}

    static void run(String sessionId, Runnable action) {
        call(sessionId, () -> {
            action.run();
            return null;
        });
    }

    static <T> T call(String sessionId, Supplier<T> action) {
        String previous = MDC.get(KEY);
        MDC.put(KEY, sessionId);
        try {
            return action.get();
        } finally {
            if (previous == null) {
                MDC.remove(KEY);
            } else {
                MDC.put(KEY, previous);
            }
        }
    }
}
