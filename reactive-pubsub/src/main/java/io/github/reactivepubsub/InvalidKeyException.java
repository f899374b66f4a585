package io.github.reactivepubsub;

/**
 * A key or pattern that is not well formed (empty segment, a wildcard where a concrete key is required, {@code **}
 * not in last place...). The message says what was wrong, where, and what was expected.
 */
public class InvalidKeyException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    /** @param message what was wrong, where, and what was expected */
    public InvalidKeyException(String message) {
        super(message);
    }
}
