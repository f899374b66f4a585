package io.github.reactivepubsub;

/**
 * Signalled to a subscriber whose bounded buffer overflowed under {@link Overflow#ERROR}: it did not keep up with
 * its topic. Only that subscriber ends; the topic, its publishers and its other subscribers go on.
 */
public class OverflowException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** The topic whose subscriber overflowed. */
    private final String topic;
    /** The subscriber's buffer size, in messages. */
    private final int bufferSize;

    /**
     * @param topic the topic (or stream) whose subscriber overflowed
     * @param bufferSize the subscriber's buffer size
     */
    public OverflowException(String topic, int bufferSize) {
        super("subscriber of '" + topic + "' overflowed its buffer of " + bufferSize
                + " messages: it requested too slowly; raise SubscribeOptions.bufferSize or choose a DROP_ overflow");
        this.topic = topic;
        this.bufferSize = bufferSize;
    }

    /** @return the topic whose subscriber overflowed */
    public String topic() {
        return topic;
    }

    /** @return the size of the buffer that overflowed */
    public int bufferSize() {
        return bufferSize;
    }
}
