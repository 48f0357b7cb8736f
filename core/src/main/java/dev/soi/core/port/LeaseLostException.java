package dev.soi.core.port;

/** The run's lease expired and another run took it over; the run must stop before changing anything. */
public class LeaseLostException extends RuntimeException {
    public LeaseLostException(String message) {
        super(message);
    }
}
