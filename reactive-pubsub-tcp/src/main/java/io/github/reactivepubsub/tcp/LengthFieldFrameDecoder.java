package io.github.reactivepubsub.tcp;

import io.github.reactivepubsub.ProtocolException;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.LengthFieldBasedFrameDecoder;
import java.nio.ByteOrder;
import java.time.Duration;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * Splits the inbound byte stream into whole frames of the core's length-prefixed format (a 4-byte big-endian payload
 * length followed by the payload, {@code FrameDecoder.lengthPrefixed}) with Netty's
 * {@link LengthFieldBasedFrameDecoder}. Each frame is passed on <em>with</em> its length field, so the session's {@code FrameDecoder.lengthPrefixed} decodes
 * exactly one frame per read and never keeps an incomplete one: the stream is framed once, here.
 *
 * <p>A length above {@code maxFrameLength} is rejected as soon as its length field arrived, before any of its
 * payload is buffered: the connection is closed with a {@link ProtocolException} naming the length, the maximum and
 * the peer, and every byte that follows is discarded; when the options say so
 * ({@link TcpSessionOptions#framingErrorReply}), a last frame naming the error is written before the close.
 * Memory: at most one incomplete frame
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
    private final @Nullable Function<? super ProtocolException, byte[]> reply;
    private final Duration closeTimeout;
    private boolean failed;

    LengthFieldFrameDecoder(int maxFrameLength, String peer) {
        this(maxFrameLength, peer, null, Duration.ZERO);
    }

    /**
     * @param reply the payload of a last frame sent before closing for an oversized frame (see
     *     {@link TcpSessionOptions#framingErrorReply}), or null
     * @param closeTimeout how long that frame may take to be written before the connection closes anyway
     */
    LengthFieldFrameDecoder(int maxFrameLength, String peer,
            @Nullable Function<? super ProtocolException, byte[]> reply, Duration closeTimeout) {
        // the length field stays in the frame; Netty's own limit (which counts it) is never reached: checked below
        super(ByteOrder.BIG_ENDIAN, LENGTH_FIELD + maxFrameLength, 0, LENGTH_FIELD, 0, 0, true);
        this.maxFrameLength = maxFrameLength;
        this.peer = peer;
        this.reply = reply;
        this.closeTimeout = closeTimeout;
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
                ProtocolException error = new ProtocolException(-1, "frame length " + length
                        + " exceeds maxFrameLength " + maxFrameLength + " (session " + peer + ")");
                TcpPipeline.fail(ctx, error, lastFrame(ctx, error), closeTimeout);
                return null;
            }
        }
        return super.decode(ctx, in);
    }

    /** @return the framed reply to send before closing, or null when there is none (or it cannot be built) */
    private @Nullable ByteBuf lastFrame(ChannelHandlerContext ctx, ProtocolException error) {
        if (reply == null) {
            return null;
        }
        byte[] body;
        try {
            body = reply.apply(error);
        } catch (RuntimeException e) {
            return null; // the close and its reason matter more than the courtesy
        }
        if (body == null || body.length > maxFrameLength) {
            return null;
        }
        return ctx.alloc().buffer(LENGTH_FIELD + body.length).writeInt(body.length).writeBytes(body);
    }
}
