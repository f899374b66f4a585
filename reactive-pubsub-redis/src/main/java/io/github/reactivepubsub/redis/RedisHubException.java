package io.github.reactivepubsub.redis;

/**
 * What went wrong with a message or a request of a {@link RedisHub}; {@link #reason()} says which case, the message
 * names the channel (escaped), the codec or the sizes involved.
 *
 * <ul>
 *   <li>{@link Reason#UNDECODABLE} and {@link Reason#TOO_LARGE} on receipt: signalled to the subscribers the
 *       message reached (their Flux fails); the hub and its other subscribers go on.</li>
 *   <li>{@link Reason#TOO_LARGE} on publishing: thrown by {@code publish}, nothing is sent.</li>
 *   <li>{@link Reason#NOT_CONNECTED}: a Mono that needs Redis while the hub is not connected.</li>
 *   <li>{@link Reason#UNSUPPORTED}: a subscription this hub cannot serve (a pattern in cluster mode with
 *       {@link RedisHubOptions#clusterPatterns(boolean) clusterPatterns(false)}).</li>
 * </ul>
 */
public class RedisHubException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** The kinds of failure. */
    public enum Reason {
        /** A received payload that the codec could not decode, or a stream entry without a payload field. */
        UNDECODABLE,
        /** A payload larger than {@link RedisHubOptions#maxMessageBytes()}. */
        TOO_LARGE,
        /** Redis is not reachable now. */
        NOT_CONNECTED,
        /** Not supported by this hub's configuration. */
        UNSUPPORTED
    }

    /** What went wrong (serialized with the exception). */
    private final Reason reason;

    /**
     * @param reason which case
     * @param message what was wrong, what was expected and where
     * @param cause the underlying error, if any
     */
    public RedisHubException(Reason reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = reason;
    }

    /**
     * @param reason which case
     * @param message what was wrong, what was expected and where
     */
    public RedisHubException(Reason reason, String message) {
        super(message);
        this.reason = reason;
    }

    /** @return which case */
    public Reason reason() {
        return reason;
    }
}
