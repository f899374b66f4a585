package io.github.reactivepubsub.tcp.soup;

import reactor.core.publisher.Flux;

/**
 * The sequenced messages of one SoupBinTCP session: numbered from 1 in append order, readable from any retained
 * number onwards (replay, then live), and finally ended (End of Session).
 *
 * <p>Threading: every method is thread-safe; appends are serialized by the store. Backpressure: a reader gets
 * messages only as it requests them; a slow reader never slows appends or other readers.
 *
 * <pre>{@code
 * MessageStore store = MessageStore.inMemory(100_000);
 * long seq = store.append("hello".getBytes(StandardCharsets.US_ASCII)); // 1
 * store.messages(1).subscribe(m -> System.out.println(m.sequence()));
 * }</pre>
 */
public interface MessageStore {

    /**
     * Appends one message.
     *
     * @param payload the message; the store keeps this array, so the caller must not modify it afterwards
     * @return the sequence number given to it
     * @throws IllegalStateException when the store was {@link #end() ended}
     */
    long append(byte[] payload);

    /** @return the number the next appended message will get (1 for an empty new store) */
    long nextSequence();

    /** @return the oldest number still retained; equals {@link #nextSequence()} when nothing is retained */
    long firstSequence();

    /**
     * The messages from {@code from} on: the retained ones first, then each one appended later, completing after
     * the last message once the store is {@link #end() ended}.
     *
     * @param from the first number to deliver, between {@link #firstSequence()} and {@link #nextSequence()}
     * @return a cold Flux; each subscriber reads on its own cursor with backpressure. Signals are delivered on the
     *     thread that requests or on the appending thread. Errors with {@link MessagesEvictedException} when
     *     {@code from} or a later number the reader has not reached yet is no longer retained
     * @throws IllegalArgumentException when {@code from} is beyond {@link #nextSequence()} or below 1
     */
    Flux<SequencedMessage> messages(long from);

    /** Ends the stream: no more appends; readers complete after the last message. Idempotent. */
    void end();

    /** @return whether {@link #end()} was called */
    boolean isEnded();

    /** Default bound of {@link #inMemory(int)}, in bytes of payload plus a small overhead per message: 64 MiB. */
    long DEFAULT_MAX_BYTES = 64L << 20;

    /**
     * {@link #inMemory(int, long)} with at most {@link #DEFAULT_MAX_BYTES} bytes.
     *
     * @param capacity how many messages are retained at most, at least 1
     * @return a new empty store whose first message gets number 1
     */
    static MessageStore inMemory(int capacity) {
        return inMemory(capacity, DEFAULT_MAX_BYTES);
    }

    /**
     * A bounded in-memory store keeping the most recent messages: at most {@code capacity} of them, and at most
     * {@code maxBytes} bytes (each message counts its payload plus 48 bytes); the newest message is always kept,
     * even alone above {@code maxBytes}.
     *
     * <p>Bound rule: an append that would exceed either bound evicts the oldest messages until it fits
     * ({@link #firstSequence()} advances): memory stays bounded whatever clients send, and appends never block and
     * never fail for capacity. A login requesting an evicted number is rejected with
     * {@link RejectReason#SESSION_NOT_AVAILABLE}; a connected reader that falls so far behind that its next message
     * is evicted errors with {@link MessagesEvictedException} and the server closes its connection without
     * {@code Z} (its next login from that number is rejected the same way).
     *
     * @param capacity how many messages are retained at most, at least 1
     * @param maxBytes how many bytes are retained at most, at least 1
     * @return a new empty store whose first message gets number 1
     * @throws IllegalArgumentException when a bound is below 1
     */
    static MessageStore inMemory(int capacity, long maxBytes) {
        return new InMemoryMessageStore(capacity, maxBytes);
    }
}
