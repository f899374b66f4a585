package io.github.reactivepubsub.session;

import java.time.Duration;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * A message session over a {@link DuplexConnection}: inbound bytes are decoded into messages of type {@code I}
 * by a {@link FrameDecoder}, outbound messages of type {@code O} are framed by a {@link FrameEncoder}.
 *
 * <p><b>Consumption.</b> Messages are consumed either by dispatching, through {@link #inbound()}, whose demand
 * <em>is</em> the dispatching (no demand = paused, demand = resumed), or by pulling, with {@link #receive()} and
 * {@link #receiveNow()}, while nothing is dispatching. Every message is delivered once, in arrival order, across
 * pauses, resumptions and mode changes; empty or zero-valued messages are delivered like any other.
 *
 * <p><b>Backpressure.</b> Reading is driven by demand: the session takes one read from the connection only when
 * it has delivered everything it decoded and a consumer is waiting (inbound demand or a pending pull). Without
 * demand no further bytes are taken from the transport, and the session holds at most the messages of one read
 * plus one incomplete frame. Note that a session nobody reads from also receives no heartbeats from its peer.
 *
 * <p><b>Lifecycle.</b> ACTIVE, then CLOSING ({@link #isClosed()} turns true here), then CLOSED. Closes come from
 * {@link #close()}/{@link #initiateClose()}, a peer's close (graceful per {@link SessionOptions#gracefulShutdown()}),
 * a frame the decoder cannot parse ({@link io.github.reactivepubsub.ProtocolException}), the remote heartbeat
 * ({@link IdleTimeoutException}) or a transport error; the error ones never drain. A graceful close delivers
 * the messages already received, waiting at most {@link SessionOptions#drainTimeout()} for consumers, then
 * {@link #onClose()} signals exactly once and {@link #inbound()} completes (or errors with the reason).
 *
 * <p><b>Threading.</b> All methods are thread-safe and non-blocking. Signals to the {@code inbound()} subscriber
 * and pull completions are serialized and run on whichever thread supplied the data or the demand.
 *
 * <pre>{@code
 * Session<byte[], byte[]> session = Session.create(connection,
 *         FrameDecoder.lengthPrefixed(bytesCodec, 65_535), FrameEncoder.lengthPrefixed(bytesCodec));
 * session.startHeartbeats(Duration.ofSeconds(1), Duration.ofSeconds(15), () -> new byte[0]);
 * session.inbound().concatMap(message -> handle(message)).subscribe();
 * session.send("hello".getBytes(StandardCharsets.UTF_8)).subscribe();
 * }</pre>
 *
 * @param <I> inbound message type
 * @param <O> outbound message type
 */
public interface Session<I, O> {

    /**
     * Creates an active session with {@link SessionOptions#defaults()}. It subscribes to
     * {@code connection.receive()} at once but requests nothing until a consumer has demand.
     *
     * @param connection the transport; the session owns it and disposes it on close
     * @param decoder frames inbound bytes into messages
     * @param encoder frames outbound messages
     * @param <I> inbound message type
     * @param <O> outbound message type
     * @return the session
     */
    static <I, O> Session<I, O> create(DuplexConnection connection, FrameDecoder<I> decoder, FrameEncoder<O> encoder) {
        return create(connection, decoder, encoder, SessionOptions.defaults());
    }

    /**
     * Creates an active session, as {@link #create(DuplexConnection, FrameDecoder, FrameEncoder)} with options.
     *
     * @param connection the transport; the session owns it and disposes it on close
     * @param decoder frames inbound bytes into messages
     * @param encoder frames outbound messages
     * @param options name, graceful shutdown, drain timeout, scheduler
     * @param <I> inbound message type
     * @param <O> outbound message type
     * @return the session
     */
    static <I, O> Session<I, O> create(DuplexConnection connection, FrameDecoder<I> decoder, FrameEncoder<O> encoder,
            SessionOptions options) {
        return new DefaultSession<>(connection, decoder, encoder, options).start();
    }

    /**
     * The inbound messages, dispatched as they are requested: demand is the dispatching, and without outstanding
     * demand the session is paused (pulling is then allowed).
     *
     * <p>One subscriber at a time; another subscriber is signalled a {@link SessionStateException}. Cancelling
     * loses nothing: messages not yet delivered stay for the next subscriber or a pull. Completes once the session
     * closed (after a graceful close, only once every kept message was delivered); errors with the close reason
     * ({@link io.github.reactivepubsub.ProtocolException}, {@link IdleTimeoutException}, a transport
     * error). A subscriber that subscribes after the close receives that terminal signal at once.
     *
     * @return a cold view of the session's queue
     */
    Flux<I> inbound();

    /**
     * Pulls the next message, waiting for one if none is kept.
     *
     * <p>Errors with {@link SessionStateException} when subscribed while {@link #isDispatching()}, with
     * {@link EndOfQueueException} once the session is closed and every kept message was delivered (also when it
     * closes during the wait). Cancelling (e.g. by {@code timeout}) only withdraws the pull: no message is lost and
     * the session stays open. Concurrent pulls are served in subscription order.
     *
     * @return a lazy Mono: the pull is registered on subscription
     */
    Mono<I> receive();

    /**
     * Takes the next message if one is available now, without waiting. If another thread is delivering at the same
     * moment, a message it is about to decode may be reported as not available yet.
     *
     * @return the next message, or {@code null} when none is available now
     * @throws SessionStateException while {@link #isDispatching()}
     * @throws EndOfQueueException once the session is closed and every kept message was delivered
     */
    @Nullable I receiveNow();

    /**
     * Frames and writes one message.
     *
     * @param message the message
     * @return a lazy Mono completing when the transport accepted the frame; errors with {@link SessionStateException}
     *     on a closing or closed session, or with the encoder's or transport's error
     */
    Mono<Void> send(O message);

    /**
     * Frames and writes messages in order, taking the next one only as the transport accepts bytes.
     *
     * @param messages the messages
     * @return a lazy Mono completing when every frame was accepted; errors as {@link #send(Object)}
     */
    Mono<Void> sendAll(Publisher<? extends O> messages);

    /**
     * Starts heartbeats on the options' scheduler. Local: whenever nothing was sent for {@code local} (by
     * {@link #send}, {@link #sendAll} or a heartbeat), the message from {@code heartbeat} is sent. Remote: when no
     * byte was received from the connection for {@code remote}, the session closes without draining, with an
     * {@link IdleTimeoutException}. Both are exact idle rules on the scheduler's clock, and both stop when the
     * session closes.
     *
     * @param local the idle time after which a heartbeat is sent; positive
     * @param remote the longest inbound silence, counted from this call and from each read; positive
     * @param heartbeat supplies each heartbeat message
     * @throws SessionStateException when heartbeats were already started or the session is closing or closed
     * @throws IllegalArgumentException when a duration is not positive
     */
    void startHeartbeats(Duration local, Duration remote, Supplier<? extends O> heartbeat);

    /** @return whether {@code inbound()} has a subscriber with outstanding demand (pulling is then refused) */
    boolean isDispatching();

    /** @return {@code true} while neither closing nor closed */
    boolean isActive();

    /** @return {@code true} from the start of closing on */
    boolean isClosed();

    /**
     * Starts closing (draining per {@link SessionOptions#gracefulShutdown()}) and returns at once. No-op when
     * already closing or closed.
     */
    void initiateClose();

    /**
     * Closes the session: marks it closed, disposes the connection (the peer sees the close), stops heartbeats,
     * delivers kept messages when graceful (at most the drain timeout), then signals {@link #onClose()}.
     *
     * @return one shared Mono, the same for every call, completing (empty) after {@code onClose()} signalled; the
     *     close starts at this call, not at subscription. Safe to call again, concurrently, or from inside an
     *     {@code onClose()} callback.
     */
    Mono<Void> close();

    /**
     * @return signals exactly once, when the session finished closing: completes for an orderly close, errors
     *     with the reason otherwise ({@link io.github.reactivepubsub.ProtocolException},
     *     {@link IdleTimeoutException}, a transport error). Replays that signal to late subscribers.
     */
    Mono<Void> onClose();

    /** @return the options' name */
    String name();
}
