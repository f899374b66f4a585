package io.github.reactivepubsub;

/**
 * Bytes that do not follow the expected format: truncated input, an unknown indicator, a bad length prefix, an
 * invalid character, a frame a session cannot parse.
 *
 * <p>The message says what was found and what was expected; {@link #offset()} is the byte offset, within the
 * buffer or frame being decoded, where decoding failed ({@code -1} when no single offset applies).
 */
public class ProtocolException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** The offset of the malformed byte, or -1 when unknown. */
    private final int offset;

    /**
     * @param offset byte offset at which decoding failed, or {@code -1} when no single offset applies
     * @param message what was found and what was expected
     */
    public ProtocolException(int offset, String message) {
        super(offset >= 0 ? message + " (at offset " + offset + ")" : message);
        this.offset = offset;
    }

    /**
     * @param offset byte offset at which decoding failed, or {@code -1} when no single offset applies
     * @param message what was found and what was expected
     * @param cause the underlying failure
     */
    public ProtocolException(int offset, String message, Throwable cause) {
        super(offset >= 0 ? message + " (at offset " + offset + ")" : message, cause);
        this.offset = offset;
    }

    /** @return the byte offset at which decoding failed, or {@code -1} when no single offset applies */
    public int offset() {
        return offset;
    }
}
