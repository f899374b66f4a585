package io.github.reactivepubsub.tcp;

import io.github.reactivepubsub.ProtocolException;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import java.time.Duration;
import java.util.List;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * Splits the inbound byte stream at the boundaries of the core's length-prefixed frames (a 4-byte big-endian payload
 * length followed by the payload, {@code FrameDecoder.lengthPrefixed}) and passes on, in one buffer, every whole
 * frame a read completed, length fields included, up to {@value #BATCH_BYTES} bytes per buffer (a longer frame goes
 * alone). So the layers above handle one buffer per socket read rather than one per frame, and the session's
 * {@code FrameDecoder.lengthPrefixed} never keeps an incomplete frame: the stream is cut once, here.
 *
 * <p>Netty's {@code LengthFieldBasedFrameDecoder} passes one buffer per frame, which costs a slice, a copy and a
 * pass through Reactor Netty's inbound queue per frame: at 64-byte messages that was a fifth of the remote hub's
 * allocation. This decoder only walks the length fields.
 *
 * <p>A length above {@code maxFrameLength} is rejected as soon as its length field arrived, before any of its
 * payload is buffered (the whole frames before it are passed on first): the connection is closed with a
 * {@link ProtocolException} naming the length, the maximum and the peer, and every byte that follows is discarded;
 * when the options say so ({@link TcpSessionOptions#framingErrorReply}), a last frame naming the error is written
 * before the close. Memory: at most one incomplete frame ({@code 4 + maxFrameLength} bytes) plus one socket read
 * are buffered; each buffer passed on holds at most {@code max(BATCH_BYTES, 4 + maxFrameLength)} bytes.
 *
 * <p>Buffers: each one passed on is a retained slice of the cumulation buffer, released by Reactor Netty after it
 * was delivered to {@code receive()}, or when it is dropped (cancel, close). Not sharable: one instance per channel,
 * called on its event loop only.
 */
final class LengthFieldFrameDecoder extends ByteToMessageDecoder {

    static final int LENGTH_FIELD = 4;
    /** A buffer passed on grows past this many bytes only by its first frame. */
    static final int BATCH_BYTES = 64 * 1024;

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
        this.maxFrameLength = maxFrameLength;
        this.peer = peer;
        this.reply = reply;
        this.closeTimeout = closeTimeout;
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        if (failed) {
            in.skipBytes(in.readableBytes());
            return;
        }
        int start = in.readerIndex();
        int end = in.writerIndex();
        long at = start;
        while (end - at >= LENGTH_FIELD) {
            long length = in.getUnsignedInt((int) at);
            if (length > maxFrameLength) {
                if (at == start) { // our error, naming the peer; the whole frames before it went first
                    fail(ctx, in, length);
                }
                break;
            }
            long next = at + LENGTH_FIELD + length;
            if (next > end || (next - start > BATCH_BYTES && at > start)) {
                break;
            }
            at = next;
        }
        if (at > start) {
            out.add(in.readRetainedSlice((int) (at - start)));
        }
    }

    private void fail(ChannelHandlerContext ctx, ByteBuf in, long length) {
        failed = true;
        in.skipBytes(in.readableBytes());
        ProtocolException error = new ProtocolException(-1, "frame length " + length
                + " exceeds maxFrameLength " + maxFrameLength + " (session " + peer + ")");
        TcpPipeline.fail(ctx, error, lastFrame(ctx, error), closeTimeout);
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
