package io.github.reactivepubsub.tcp.soup;

import io.github.reactivepubsub.ProtocolException;
import io.github.reactivepubsub.session.SessionStats;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.util.ReferenceCountUtil;
import java.util.List;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * Netty adapter of {@link SoupCodec#decode}: decodes every complete SoupBinTCP packet of each read into a
 * {@link SoupPacket} and passes it on. A packet that the receiving side must not get (a type its peer never sends)
 * is a protocol error like an undecodable one.
 *
 * <p>After the first {@link ProtocolException} it discards all further bytes and fires the exception (unwrapped)
 * down the pipeline, where the connection closes. On a client (the peer is the server), an {@code S} packet is passed
 * on as the {@link SequencedMessage} itself, owning a copy of its payload and numbered from the last Login Accepted
 * (before one, from 0: the client refuses such a message); an {@code S} that would be numbered beyond
 * {@link SoupFields#MAX_SEQUENCE} is a protocol error, so the count never wraps. Other data packets passed on own a
 * retained slice of the cumulation; {@link ByteToMessageDecoder} releases the cumulation itself. Not sharable: one
 * instance per channel.
 */
final class SoupFrameDecoder extends ByteToMessageDecoder {

    private final SoupPacketType.Sender peer;
    private final int maxPacketLength;
    private final @Nullable SessionStats stats;
    private long streamOffset;
    /** On a client: the sequence number of the next {@code S}, from the last Login Accepted. */
    private long nextSequence;
    private boolean failed;

    /**
     * @param peer the side whose packets this decoder receives ({@code CLIENT} on a server)
     * @param maxPacketLength the largest packet length N accepted
     */
    SoupFrameDecoder(SoupPacketType.Sender peer, int maxPacketLength) {
        this(peer, maxPacketLength, null);
    }

    /**
     * @param peer the side whose packets this decoder receives ({@code CLIENT} on a server)
     * @param maxPacketLength the largest packet length N accepted
     * @param stats where each packet passed on is counted (with its bytes), or null
     */
    SoupFrameDecoder(SoupPacketType.Sender peer, int maxPacketLength, @Nullable SessionStats stats) {
        if (maxPacketLength < 1 || maxPacketLength > SoupCodec.MAX_PACKET_LENGTH) {
            throw new IllegalArgumentException("maxPacketLength " + maxPacketLength + " is outside 1.."
                    + SoupCodec.MAX_PACKET_LENGTH);
        }
        this.peer = peer;
        this.maxPacketLength = maxPacketLength;
        this.stats = stats;
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        if (failed) {
            in.skipBytes(in.readableBytes());
            return;
        }
        try {
            while (true) {
                int before = in.readerIndex();
                Object decoded = SoupCodec.decode(in, streamOffset, maxPacketLength,
                        peer == SoupPacketType.Sender.SERVER);
                if (decoded == null) {
                    return;
                }
                if (decoded instanceof byte[] payload) { // an S from the server, copied: the message itself
                    if (nextSequence > SoupFields.MAX_SEQUENCE) {
                        in.readerIndex(before);
                        throw new FrameContext(before, streamOffset, in.getUnsignedShort(before),
                                in.getByte(before + SoupCodec.HEADER_LENGTH))
                                .error(SoupCodec.HEADER_LENGTH, "Sequenced Data would be numbered " + nextSequence
                                        + " (counting from the last Login Accepted), beyond the largest sequence "
                                        + "number " + SoupFields.MAX_SEQUENCE);
                    }
                    passOn(in.readerIndex() - before, new SequencedMessage(nextSequence++, payload), out);
                    continue;
                }
                SoupPacket packet = (SoupPacket) decoded;
                if (packet instanceof SoupPacket.LoginAccepted accepted) {
                    nextSequence = accepted.sequence();
                }
                if (!packet.type().sender().maySend(peer)) {
                    ReferenceCountUtil.release(packet);
                    in.readerIndex(before);
                    throw new FrameContext(before, streamOffset, in.getUnsignedShort(before),
                            in.getByte(before + SoupCodec.HEADER_LENGTH))
                            .error(SoupCodec.HEADER_LENGTH, packet.type().displayName() + " is sent by the "
                                    + packet.type().sender().name().toLowerCase(Locale.ROOT)
                                    + ", never by the " + peer.name().toLowerCase(Locale.ROOT));
                }
                passOn(in.readerIndex() - before, packet, out);
            }
        } catch (ProtocolException e) {
            failed = true;
            in.skipBytes(in.readableBytes());
            // packets decoded before the bad one go first, so the peer's last good data is not lost
            for (Object packet : out) {
                ctx.fireChannelRead(packet);
            }
            out.clear();
            ctx.fireExceptionCaught(e);
        }
    }

    private void passOn(int length, Object decoded, List<Object> out) {
        streamOffset += length;
        if (stats != null) {
            stats.recordFrameIn(length);
        }
        out.add(decoded);
    }
}
