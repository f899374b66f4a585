package io.github.reactivepubsub.tcp.remote;

/**
 * Signalled to a {@link RemoteHub} subscriber whose subscription the broker ended with an error other than an
 * overflow (which is an {@link io.github.reactivepubsub.OverflowException}, as on an in-process hub): for example,
 * the broker's codec could not encode a payload published to its hub. The message repeats the broker's reason and
 * names the pattern.
 */
public class RemoteSubscriptionException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** @param message the broker's reason and the pattern */
    public RemoteSubscriptionException(String message) {
        super(message);
    }
}
