package io.github.reactivepubsub.codec;

import io.github.reactivepubsub.ProtocolException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * The messages of one application (ITCH, OUCH, ...) in one direction: decodes by indicator byte, encodes by record
 * type. A {@link Codec} of {@link Record}s; a session decodes with the registry of the direction it receives
 * ({@link Direction#INCOMING} on a server, {@link Direction#OUTGOING} on a client).
 *
 * <p>Within one registry an indicator and a record type each belong to one definition; the same indicator may
 * mean different messages in other applications or directions, which are other registries. Decoding an empty
 * buffer or an unknown indicator fails with {@link ProtocolException} at offset 0; encoding a record of an
 * unregistered type fails with {@link IllegalArgumentException}. Immutable and thread-safe.
 *
 * <pre>{@code
 * MessageRegistry ouchIn = MessageRegistry.builder("OUCH", Direction.INCOMING)
 *         .register(enterOrder)
 *         .register(cancelOrder)
 *         .build();
 * Record message = ouchIn.decode(frame);
 * }</pre>
 */
public final class MessageRegistry extends BinaryCodec<Record> implements Codec<Record> {

    /** Who sends the messages of a registry. */
    public enum Direction {
        /** Client to server. */
        INCOMING,
        /** Server to client. */
        OUTGOING
    }

    private final String application;
    private final Direction direction;
    private final List<MessageDefinition<?>> definitions;
    private final @Nullable MessageDefinition<?>[] byIndicator;
    private final Map<Class<?>, MessageDefinition<?>> byType;

    private MessageRegistry(Builder builder) {
        this.application = builder.application;
        this.direction = builder.direction;
        this.definitions = builder.definitions;
        this.byIndicator = new MessageDefinition<?>[256];
        Map<Class<?>, MessageDefinition<?>> types = new HashMap<>();
        for (MessageDefinition<?> d : definitions) {
            byIndicator[d.indicator()] = d;
            types.put(d.type(), d);
        }
        this.byType = Map.copyOf(types);
    }

    /**
     * Starts a registry.
     *
     * @param application the application's name, e.g. {@code "OUCH"}, used in error messages
     * @param direction the direction of its messages
     * @return a builder with no definitions yet
     */
    public static Builder builder(String application, Direction direction) {
        return new Builder(application, direction, List.of());
    }

    /** @return the application's name */
    public String application() {
        return application;
    }

    /** @return the direction of the registered messages */
    public Direction direction() {
        return direction;
    }

    /** @return the definitions in registration order */
    public List<MessageDefinition<?>> definitions() {
        return definitions;
    }

    /**
     * @param indicator an indicator byte, 0..255
     * @return the definition registered for it, if any
     */
    public Optional<MessageDefinition<?>> definition(int indicator) {
        return indicator < 0 || indicator > 0xFF ? Optional.empty() : Optional.ofNullable(byIndicator[indicator]);
    }

    /**
     * @param type a record class
     * @param <R> the record type
     * @return the definition registered for it, if any
     */
    @SuppressWarnings("unchecked")
    public <R extends Record> Optional<MessageDefinition<R>> definition(Class<R> type) {
        return Optional.ofNullable((MessageDefinition<R>) byType.get(type));
    }

    private MessageDefinition<?> definitionOf(Record value) {
        MessageDefinition<?> d = byType.get(value.getClass());
        if (d == null) {
            throw new IllegalArgumentException(this + ": no message definition for record type "
                    + value.getClass().getName() + "; registered: " + byType.keySet().stream()
                            .map(Class::getSimpleName).sorted().toList());
        }
        return d;
    }

    /**
     * @return the encoded size including the indicator byte
     * @throws IllegalArgumentException when no definition is registered for the value's record type
     */
    @Override
    public int size(Record value) {
        return sizeOf(definitionOf(value), value);
    }

    private static <R extends Record> int sizeOf(MessageDefinition<R> d, Record value) {
        return d.size(d.type().cast(value));
    }

    @Override
    Record read(ByteBuffer b, int base) {
        if (!b.hasRemaining()) {
            throw new ProtocolException(0, this + ": expected an indicator byte, found end of input");
        }
        int indicator = b.get() & 0xFF;
        MessageDefinition<?> d = byIndicator[indicator];
        if (d == null) {
            throw new ProtocolException(0, this + ": unknown indicator " + MessageDefinition.describe(indicator)
                    + "; expected one of " + definitions.stream().map(Object::toString).toList());
        }
        return d.body().read(b, base);
    }

    @Override
    void write(ByteBuffer b, Record value) {
        definitionOf(value).writeRecord(b, value);
    }

    /** @return the application and direction, e.g. {@code OUCH/INCOMING} */
    @Override
    public String toString() {
        return application + "/" + direction;
    }

    /**
     * An immutable step of building a {@link MessageRegistry}: each {@link #register} returns a new builder.
     * Thread-safe.
     */
    public static final class Builder {

        private final String application;
        private final Direction direction;
        private final List<MessageDefinition<?>> definitions;

        private Builder(String application, Direction direction, List<MessageDefinition<?>> definitions) {
            this.application = Objects.requireNonNull(application, "application");
            this.direction = Objects.requireNonNull(direction, "direction");
            this.definitions = definitions;
        }

        /**
         * Adds a message definition.
         *
         * @param definition the definition
         * @return a new builder with the definition added
         * @throws IllegalArgumentException when its indicator or record type is already registered (a definition
         *     error: an indicator means one message per application and direction)
         */
        public Builder register(MessageDefinition<?> definition) {
            for (MessageDefinition<?> d : definitions) {
                if (d.indicator() == definition.indicator()) {
                    throw new IllegalArgumentException(application + "/" + direction + ": indicator "
                            + MessageDefinition.describe(definition.indicator()) + " of "
                            + definition.type().getSimpleName() + " is already registered for "
                            + d.type().getSimpleName());
                }
                if (d.type() == definition.type()) {
                    throw new IllegalArgumentException(application + "/" + direction + ": record type "
                            + d.type().getName() + " is already registered as " + d + ", cannot add it as "
                            + definition);
                }
            }
            List<MessageDefinition<?>> more = new ArrayList<>(definitions);
            more.add(definition);
            return new Builder(application, direction, List.copyOf(more));
        }

        /**
         * Adds several message definitions, as {@link #register(MessageDefinition)} one by one.
         *
         * @param definitions the definitions
         * @return a new builder with the definitions added
         * @throws IllegalArgumentException as {@link #register(MessageDefinition)}
         */
        public Builder register(MessageDefinition<?>... definitions) {
            Builder b = this;
            for (MessageDefinition<?> d : Arrays.asList(definitions)) {
                b = b.register(d);
            }
            return b;
        }

        /** @return the registry */
        public MessageRegistry build() {
            return new MessageRegistry(this);
        }
    }
}
