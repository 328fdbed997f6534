package dev.linkwell.simulator;

/**
 * A command the simulator cannot carry out (unknown phone or device, bad QR, expired ref, ...). The status is
 * the HTTP status the admin API answers with.
 */
public class SimulatorException extends RuntimeException {

    private final int status;

    public SimulatorException(int status, String message) {
        super(message);
        this.status = status;
    }

    public static SimulatorException badRequest(String message) {
        return new SimulatorException(400, message);
    }

    public static SimulatorException notFound(String message) {
        return new SimulatorException(404, message);
    }

    public static SimulatorException conflict(String message) {
        return new SimulatorException(409, message);
    }

    public int status() {
        return status;
    }
}
