package io.github.reactivepubsub.facade;

import io.github.reactivepubsub.ConnectionStatus;
import io.github.reactivepubsub.Hub;
import io.github.reactivepubsub.Key;
import io.github.reactivepubsub.Message;
import io.github.reactivepubsub.Overflow;
import io.github.reactivepubsub.OverflowException;
import io.github.reactivepubsub.PublishResult;
import io.github.reactivepubsub.SubscribeOptions;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BiConsumer;
import org.jspecify.annotations.Nullable;
import reactor.core.Disposable;
import reactor.core.Exceptions;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.util.Logger;
import reactor.util.Loggers;

/**
 * Channels of named events within a namespace, over a hub (pulsar's {@code Channels}): handlers register for events
 * of a channel, by name or by pattern, and are called back with each matching event and its data.
 *
 * <pre>{@code
 * Channels channels = Channels.create(hub, "shop");
 * Disposable onOrder = channels.register("orders", "created*", (event, data) -> System.out.println(event + " " + data));
 * channels.publish("orders", "created", order);         // handed to the handler: DELIVERED(1)
 * channels.publish("orders", "createdExpress", order);  // matches "created*" too
 * onOrder.dispose();
 * }</pre>
 *
 * <h2>Keys</h2>
 * An event is published to the hub key {@code <namespace>.<channel>.<event>}, so hub subscribers see it too (for
 * example {@code shop.orders.*} or {@code shop.**}), with its data as the payload. Namespace, channel and event names
 * must be non-empty and contain neither {@code .} (the key separator) nor {@code *} (the wildcard); anything else is
 * allowed and taken literally. A registration whose pattern has no {@code *} subscribes to exactly
 * {@code <namespace>.<channel>.<event>}; one with a {@code *} subscribes to {@code <namespace>.<channel>.*} and checks
 * each event name against its pattern.
 *
 * <h2>Event patterns</h2>
 * {@code *} matches any characters, including none; every other character is literal — {@code .}, {@code +},
 * {@code (}, {@code [}, {@code $}, {@code ^}, {@code ?}, {@code |} and backslashes included (pulsar turned patterns
 * into unescaped regular expressions; no regular expression is built here). {@code *} alone matches every event,
 * {@code pre*} every event starting with {@code pre} (including {@code pre} itself), {@code a*b*c} every event made of
 * {@code a}, then {@code b}, then {@code c} with anything between.
 *
 * <h2>Threading and backpressure</h2>
 * Every method is safe from any thread and never blocks. A handler is called on the thread that published the event
 * (or the one draining that registration's buffer), never concurrently with itself: calls are serialized per
 * registration, in publish order per publishing thread. Different registrations may run in parallel. A handler that
 * throws is logged (with namespace, channel and event) and keeps receiving later events. Each registration is one hub
 * subscriber with the hub's default {@link SubscribeOptions}: it requests without limit, so its buffer only holds
 * events arriving while the handler is still running for another thread's event; a handler that falls behind by
 * more than the buffer size meets the hub's overflow policy (under {@link Overflow#ERROR}, the registration ends
 * with a logged {@link OverflowException} and reports {@link Disposable#isDisposed()}). Since handlers run on the
 * publishing thread, a slow handler slows the thread that publishes to its channel: hand long work to a scheduler.
 */
public final class Channels implements AutoCloseable {

    private static final Logger LOG = Loggers.getLogger(Channels.class);

    private final Hub hub;
    private final String namespace;
    private final Set<Registration> registrations = ConcurrentHashMap.newKeySet();
    private final Sinks.Empty<Void> closedSignal = Sinks.empty();
    private volatile boolean closed;

    private Channels(Hub hub, String namespace) {
        this.hub = Objects.requireNonNull(hub, "hub");
        this.namespace = checkName("namespace", namespace);
    }

    /**
     * Channels of a namespace over a hub. Several {@code Channels} of the same namespace on the same hub see each
     * other's events.
     *
     * <pre>{@code
     * Channels channels = Channels.create(Hub.create(), "shop");
     * }</pre>
     *
     * @param hub the hub carrying the events
     * @param namespace the first segment of every key; non-empty, without {@code .} or {@code *}
     * @return the channels
     * @throws IllegalArgumentException when the namespace is empty or contains {@code .} or {@code *}
     */
    public static Channels create(Hub hub, String namespace) {
        return new Channels(hub, namespace);
    }

    /** @return the namespace: the first segment of every hub key these channels use */
    public String namespace() {
        return namespace;
    }

    /**
     * Registers a handler for the events of a channel matching a pattern. The registration is active when this
     * method returns (on an in-process hub, an event published afterwards reaches it).
     *
     * <pre>{@code
     * Disposable d = channels.register("orders", "*", (event, data) -> log.info("{}: {}", event, data));
     * }</pre>
     *
     * @param channel the channel; non-empty, without {@code .} or {@code *}
     * @param eventPattern the event name, or a pattern where {@code *} matches any characters and everything else is
     *     literal; non-empty, without {@code .}
     * @param handler called with the event name and its data for each matching event, serialized for this
     *     registration; what it throws is logged and does not stop later events
     * @return the registration: disposing it unregisters the handler (idempotent); it also reports disposed once the
     *     hub closes or the registration overflowed
     * @throws IllegalArgumentException when a name or the pattern is invalid (the message says which and why)
     * @throws IllegalStateException when these channels are closed
     */
    public Disposable register(String channel, String eventPattern, BiConsumer<String, Object> handler) {
        checkName("channel", channel);
        checkPattern("event pattern", eventPattern);
        Objects.requireNonNull(handler, "handler");
        if (closed) {
            throw new IllegalStateException("Channels of namespace '" + namespace
                    + "' are closed: cannot register on channel '" + channel + "'; expected open Channels");
        }
        Glob pattern = Glob.of(eventPattern);
        Registration registration = new Registration(channel, pattern, handler);
        registrations.add(registration);
        Key key = Key.of(namespace, channel, pattern.isLiteral() ? eventPattern : Key.ANY);
        Disposable subscription = hub.<Object>subscribe(key)
                .subscribe(registration::onMessage, registration::onError, registration::onComplete);
        registration.subscription = subscription;
        if (registration.isDisposed() || closed) {
            registration.dispose(); // disposed meanwhile (by unregister or close): release the hub subscription
        }
        return registration;
    }

    /**
     * Unregisters every registration of this handler (compared by identity) for this channel and pattern, as if each
     * were disposed.
     *
     * @param channel the channel it was registered on
     * @param eventPattern the pattern it was registered with, exactly as given
     * @param handler the handler it was registered with
     * @return whether at least one registration was removed
     */
    public boolean unregister(String channel, String eventPattern, BiConsumer<String, Object> handler) {
        boolean removed = false;
        for (Registration r : registrations) {
            if (r.handler == handler && r.channel.equals(channel) && r.pattern.toString().equals(eventPattern)) {
                r.dispose();
                removed = true;
            }
        }
        return removed;
    }

    /**
     * Publishes an event with its data to the hub key {@code <namespace>.<channel>.<event>}. Never blocks.
     *
     * @param channel the channel; non-empty, without {@code .} or {@code *}
     * @param event the event name; non-empty, without {@code .} or {@code *}
     * @param data the data handed to every matching handler, as is (not copied)
     * @return how many hub subscribers it was handed to — including registrations of the channel with a {@code *}
     *     pattern, which then check the event name —, {@link PublishResult#NO_SUBSCRIBERS}, or
     *     {@link PublishResult#CLOSED} when the hub or these channels are closed
     * @throws IllegalArgumentException when the channel or event name is invalid
     * @throws NullPointerException when data is null (the hub carries no nulls)
     */
    public PublishResult publish(String channel, String event, Object data) {
        checkName("channel", channel);
        checkName("event", event);
        if (data == null) {
            throw new NullPointerException("data of event '" + event + "' on channel '" + channel
                    + "' is null: expected a non-null payload");
        }
        if (closed) {
            return PublishResult.CLOSED;
        }
        return hub.publish(Key.of(namespace, channel, event), data);
    }

    /**
     * The subscribers of each channel now (pulsar's {@code count(*channels)}): registrations, and hub subscribers of
     * the channel's keys {@code <namespace>.<channel>.<event>} or {@code <namespace>.<channel>.*}. Hub subscribers of
     * broader patterns (such as {@code <namespace>.**}) are not counted.
     *
     * @param channels the channels to count
     * @return each channel, in the order given, with its count (0 when it has none)
     * @throws IllegalArgumentException when a channel name is invalid
     */
    public Map<String, Integer> count(String... channels) {
        Map<String, Integer> counts = new LinkedHashMap<>();
        for (String channel : channels) {
            checkName("channel", channel);
            int n = 0;
            for (Key topic : hub.topics(Key.of(namespace, channel, Key.ANY))) {
                n += hub.subscriberCount(topic);
            }
            counts.put(channel, n);
        }
        return counts;
    }

    /**
     * The channels of this namespace that have at least one subscriber now (a registration, or a hub subscriber of a
     * key {@code <namespace>.<channel>.<event>} or {@code <namespace>.<channel>.*}) and whose name matches a pattern.
     *
     * @param pattern a channel name pattern: {@code *} matches any characters, everything else is literal; non-empty,
     *     without {@code .}
     * @return the matching channel names, sorted
     * @throws IllegalArgumentException when the pattern is empty or contains {@code .}
     */
    public List<String> channels(String pattern) {
        Glob glob = Glob.of(checkPattern("channel pattern", pattern));
        Set<String> names = new TreeSet<>();
        for (Key topic : hub.topics(Key.of(namespace, Key.ANY, Key.ANY))) {
            String channel = topic.segment(1);
            if (!channel.equals(Key.ANY) && !channel.equals(Key.ANY_DEPTH) && glob.matches(channel)) {
                names.add(channel);
            }
        }
        return new ArrayList<>(names);
    }

    /**
     * The connection status of these channels' hub, for each subscriber from the current state on. On an in-process
     * hub it is {@link ConnectionStatus#CONNECTED} followed by {@link ConnectionStatus#CLOSED} (then completion) when
     * the hub or these channels close; just {@code CLOSED} when already closed. A remote hub adds the reconnection
     * states. Never blocks; {@code CLOSED} is signalled on the closing thread.
     *
     * <pre>{@code
     * channels.status().subscribe(s -> log.info("pubsub {}", s));
     * }</pre>
     *
     * @return the status changes
     */
    public Flux<ConnectionStatus> status() {
        return Flux.defer(() -> closed
                ? Flux.just(ConnectionStatus.CLOSED)
                // the hub's own status (a remote hub reconnects), ended by CLOSED from the hub or from close()
                : Flux.merge(hub.status(), closedSignal.asMono().thenReturn(ConnectionStatus.CLOSED))
                        .takeUntil(s -> s == ConnectionStatus.CLOSED));
    }

    /**
     * Closes these channels (not the hub): disposes every registration, makes {@link #register} throw and
     * {@link #publish} return {@link PublishResult#CLOSED}, and ends {@link #status()} with
     * {@link ConnectionStatus#CLOSED}. Idempotent; never blocks.
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        for (Registration r : registrations) {
            r.dispose();
        }
        closedSignal.tryEmitEmpty();
    }

    @Override
    public String toString() {
        return "Channels[" + namespace + ", registrations=" + registrations.size() + "]";
    }

    private static String checkName(String what, String name) {
        checkPattern(what, name);
        if (name.indexOf('*') >= 0) {
            throw new IllegalArgumentException(what + " '" + name + "' contains '*', the wildcard of event patterns;"
                    + " expected a literal name");
        }
        return name;
    }

    private static String checkPattern(String what, String name) {
        Objects.requireNonNull(name, what);
        if (name.isEmpty()) {
            throw new IllegalArgumentException(what + " is empty: expected at least one character"
                    + " (hub keys are <namespace>.<channel>.<event>)");
        }
        if (name.indexOf('.') >= 0) {
            throw new IllegalArgumentException(what + " '" + name + "' contains '.', which separates namespace,"
                    + " channel and event in hub keys (<namespace>.<channel>.<event>); expected a name without '.'"
                    + " ('.' in a pattern is literal, not a regex wildcard, so it could never match)");
        }
        return name;
    }

    /** One handler registered for a channel and pattern: a hub subscriber filtering by event name. */
    private final class Registration implements Disposable {
        final String channel;
        final Glob pattern;
        final BiConsumer<String, Object> handler;
        private final AtomicBoolean disposed = new AtomicBoolean();
        volatile @Nullable Disposable subscription;

        Registration(String channel, Glob pattern, BiConsumer<String, Object> handler) {
            this.channel = channel;
            this.pattern = pattern;
            this.handler = handler;
        }

        void onMessage(Message<Object> message) {
            String event = message.key().segment(2);
            if (!pattern.matches(event)) {
                return;
            }
            try {
                handler.accept(event, message.payload());
            } catch (Throwable e) {
                Exceptions.throwIfJvmFatal(e);
                LOG.error("handler of '{}' on channel '{}' of namespace '{}' threw for event '{}'; it keeps its"
                        + " registration and receives later events", pattern, channel, namespace, event, e);
            }
        }

        void onError(Throwable error) {
            LOG.error("registration of '{}' on channel '{}' of namespace '{}' ended: {}", pattern, channel, namespace,
                    error.toString(), error);
            terminated();
        }

        void onComplete() {
            terminated();
        }

        private void terminated() {
            disposed.set(true);
            registrations.remove(this);
        }

        @Override
        public void dispose() {
            disposed.set(true);
            registrations.remove(this);
            Disposable s = subscription;
            if (s != null) {
                s.dispose();
            }
        }

        @Override
        public boolean isDisposed() {
            return disposed.get();
        }

        @Override
        public String toString() {
            return "Registration[" + namespace + "." + channel + "." + pattern + "]";
        }
    }
}
