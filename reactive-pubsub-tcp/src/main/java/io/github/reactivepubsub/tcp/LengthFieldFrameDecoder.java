package io.github.reactivepubsub.tcp;

import io.github.reactivepubsub.ProtocolException;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.LengthFieldBasedFrameDecoder;
import java.nio.ByteOrder;
import org.jspecify.annotations.Nullable;

/**
 * Splits the inbound byte stream into whole frames of the core's length-prefixed format (a 4-byte big-endian payload
 * length followed by the payload, {@code FrameDecoder.lengthPrefixed}) with Netty's
 * {@link LengthFieldBasedFrameDecoder}. Each frame is passed on <em>with</em> its length field, so the session's {@code FrameDecoder.lengthPrefixed} decodes
 * exactly one frame per read and never keeps an incomplete one: the stream is framed once, here.
 *
 * <p>A length above {@code maxFrameLength} is rejected as soon as its length field arrived, before any of its
 * payload is buffered: the connection is closed with a {@link ProtocolException} naming the length, the maximum and
 * the peer, and every byte that follows is discarded. Memory: at most one incomplete frame
 * ({@code 4 + maxFrameLength} bytes) plus one socket read are buffered.
 *
 * <p>Buffers: each frame is a retained slice of the cumulation buffer, released by Reactor Netty after it was
 * delivered to {@code receive()}, or when it is dropped (cancel, close). Not sharable: one instance per channel,
 * called on its event loop only.
 */
final class LengthFieldFrameDecoder extends LengthFieldBasedFrameDecoder {

    static final int LENGTH_FIELD = 4;

    private final int maxFrameLength;
    private final String peer;
    private boolean failed;

    LengthFieldFrameDecoder(int maxFrameLength, String peer) {
        // the length field stays in the frame; Netty's own limit (which counts it) is never reached: checked below
        super(ByteOrder.BIG_ENDIAN, LENGTH_FIELD + maxFrameLength, 0, LENGTH_FIELD, 0, 0, true);
        this.maxFrameLength = maxFrameLength;
        this.peer = peer;
    }

    @Override
    protected @Nullable Object decode(ChannelHandlerContext ctx, ByteBuf in) throws Exception {
        if (failed) {
            in.skipBytes(in.readableBytes());
            return null;
        }
        if (in.readableBytes() >= LENGTH_FIELD) {
            long length = in.getUnsignedInt(in.readerIndex());
            if (length > maxFrameLength) { // our error, naming the peer, rather than Netty's TooLongFrameException
                failed = true;
                in.skipBytes(in.readableBytes());
                TcpPipeline.fail(ctx, new ProtocolException(-1, "frame length " + length + " exceeds maxFrameLength "
                        + maxFrameLength + " (session " + peer + ")"));
                return null;
            }
        }
        return super.decode(ctx, in);
    }
}
