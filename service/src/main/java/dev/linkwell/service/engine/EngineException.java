package dev.linkwell.service.engine;

/** An engine could not even attempt to open a socket (bad setup, missing runtime, ...). */
public class EngineException extends RuntimeException {

    public EngineException(String message) {
        super(message);
    }

    public EngineException(String message, Throwable cause) {
        super(message, cause);
    }
}
