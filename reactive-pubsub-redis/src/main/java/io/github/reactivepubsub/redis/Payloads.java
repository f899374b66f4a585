package io.github.reactivepubsub.redis;

import io.github.reactivepubsub.Key;
import io.github.reactivepubsub.codec.Codec;
import java.nio.ByteBuffer;
import reactor.core.Exceptions;

/**
 * A hub's payload bytes: encoded by the codec and checked against {@link RedisHubOptions#maxMessageBytes()} before
 * they are sent, checked and decoded on arrival, with errors that name the key or channel (escaped), the codec and
 * the sizes.
 *
 * <p>Immutable and thread-safe (as thread-safe as the codec, which every hub shares between its threads).
 */
final class Payloads {

    private final Codec<Object> codec;
    private final int maxMessageBytes;
    private final ChannelNames names;
    private final String hubName;

    @SuppressWarnings("unchecked")
    Payloads(Codec<?> codec, int maxMessageBytes, ChannelNames names, String hubName) {
        this.codec = (Codec<Object>) codec;
        this.maxMessageBytes = maxMessageBytes;
        this.names = names;
        this.hubName = hubName;
    }

    /**
     * @return the payload's bytes
     * @throws RedisHubException ({@code TOO_LARGE}) beyond {@code maxMessageBytes}
     * @throws IllegalArgumentException when the codec rejects the payload's type
     */
    byte[] encode(Key key, Object payload) {
        byte[] bytes;
        try {
            bytes = codec.encode(payload);
        } catch (ClassCastException e) {
            throw new IllegalArgumentException("payload of type " + payload.getClass().getName() + " to '" + key
                    + "' cannot be encoded by codec " + codec + ": " + e.getMessage(), e);
        }
        if (bytes.length > maxMessageBytes) {
            throw new RedisHubException(RedisHubException.Reason.TOO_LARGE, "message to '" + key + "' (channel '"
                    + ChannelNames.printable(names.channel(key)) + "') is " + bytes.length + " bytes encoded by codec "
                    + codec + "; the limit is " + maxMessageBytes + " (RedisHubOptions.maxMessageBytes): not sent");
        }
        return bytes;
    }

    /**
     * @param channel where the bytes arrived (a channel or a stream key), for the error
     * @return the decoded payload
     * @throws RedisHubException {@code TOO_LARGE} beyond {@code maxMessageBytes} (not decoded), {@code UNDECODABLE}
     *     when the codec fails
     */
    Object decode(String channel, byte[] bytes) {
        if (bytes.length > maxMessageBytes) {
            throw new RedisHubException(RedisHubException.Reason.TOO_LARGE, "message of " + bytes.length
                    + " bytes on channel '" + ChannelNames.printable(channel) + "' of redis " + hubName
                    + " exceeds maxMessageBytes " + maxMessageBytes + "; not decoded");
        }
        try {
            return codec.decode(ByteBuffer.wrap(bytes));
        } catch (RuntimeException e) {
            Exceptions.throwIfJvmFatal(e);
            throw new RedisHubException(RedisHubException.Reason.UNDECODABLE, "payload of " + bytes.length
                    + " bytes on channel '" + ChannelNames.printable(channel) + "' of redis " + hubName
                    + " cannot be decoded by codec " + codec + ": "
                    + ChannelNames.printable(String.valueOf(e.getMessage())), e);
        }
    }
}
