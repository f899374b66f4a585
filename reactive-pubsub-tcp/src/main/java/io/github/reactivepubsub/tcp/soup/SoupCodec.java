package io.github.reactivepubsub.tcp.soup;

import io.github.reactivepubsub.ProtocolException;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import org.jspecify.annotations.Nullable;

/**
 * Stateless encoder and decoder of SoupBinTCP 3.00 frames ({@code docs/soupbintcp.md}, sections 1 to 3): a 2-byte
 * unsigned big-endian length N counting the type byte and the payload, then the type byte, then the payload.
 *
 * <p>Decoding never copies the payload of {@code S} / {@code U}: it takes a retained slice of the input. Threading:
 * stateless and thread-safe.
 */
final class SoupCodec {

    /** The largest packet length N the 16-bit length field can carry. */
    static final int MAX_PACKET_LENGTH = 65_535;

    static final int HEADER_LENGTH = 2;

    private SoupCodec() {
    }

    /** @return the bytes {@code packet} takes on the wire, length field included */
    static int wireLength(SoupPacket packet) {
        return HEADER_LENGTH + packetLength(packet);
    }

    /** @return the packet length N (type byte + payload) */
    static int packetLength(SoupPacket packet) {
        int fixed = packet.type().fixedLength();
        if (fixed > 0) {
            return fixed;
        }
        if (packet instanceof SoupPacket.Debug d) {
            return 1 + d.text().length();
        }
        if (packet instanceof SoupPacket.DataPacket data) {
            return 1 + data.content().readableBytes();
        }
        throw new IllegalStateException("no length rule for " + packet.type());
    }

    /**
     * Encodes {@code packet} into a new buffer from {@code alloc}; the caller owns the result. The packet (and its
     * payload's reader index) is left unchanged; a data packet keeps its own reference.
     *
     * @throws IllegalArgumentException when the packet is longer than N = 65535
     */
    static ByteBuf encode(ByteBufAllocator alloc, SoupPacket packet) {
        int n = packetLength(packet);
        checkLength(n);
        ByteBuf out = alloc.buffer(HEADER_LENGTH + n);
        try {
            encode(packet, n, out);
            return out;
        } catch (RuntimeException e) {
            out.release();
            throw e;
        }
    }

    /** Encodes {@code packet} at the writer index of {@code out}. */
    static void encode(SoupPacket packet, ByteBuf out) {
        int n = packetLength(packet);
        checkLength(n);
        encode(packet, n, out);
    }

    /**
     * Encodes a stored message as one {@code S} frame into a new buffer from {@code alloc} (the caller owns it):
     * the message's array is written out as it is, with no packet object around it.
     *
     * @throws IllegalArgumentException when the payload is longer than 65534 bytes
     */
    static ByteBuf encodeSequenced(ByteBufAllocator alloc, SequencedMessage message) {
        byte[] payload = message.array();
        int n = 1 + payload.length;
        checkLength(n);
        return alloc.buffer(HEADER_LENGTH + n).writeShort(n).writeByte(SoupPacketType.SEQUENCED_DATA.id())
                .writeBytes(payload);
    }

    /** Writes one {@code S} frame with {@code payload} (its readable bytes, left unchanged) into {@code out}. */
    static void encodeSequenced(ByteBuf payload, ByteBuf out) {
        int n = 1 + payload.readableBytes();
        checkLength(n);
        out.writeShort(n).writeByte(SoupPacketType.SEQUENCED_DATA.id());
        out.writeBytes(payload, payload.readerIndex(), payload.readableBytes());
    }

    private static void checkLength(int n) {
        if (n > MAX_PACKET_LENGTH) {
            throw new IllegalArgumentException("packet length " + n + " exceeds the SoupBinTCP maximum "
                    + MAX_PACKET_LENGTH + " (payload at most " + (MAX_PACKET_LENGTH - 1) + " bytes)");
        }
    }

    private static void encode(SoupPacket packet, int n, ByteBuf out) {
        out.writeShort(n).writeByte(packet.type().id());
        if (packet instanceof SoupPacket.Debug d) {
            SoupFields.writeAlpha(out, d.text(), d.text().length(), false);
        } else if (packet instanceof SoupPacket.LoginAccepted a) {
            SoupFields.writeAlpha(out, a.session(), SoupPacket.SESSION_WIDTH, true);
            SoupFields.writeNumeric(out, a.sequence(), SoupPacket.SEQUENCE_WIDTH);
        } else if (packet instanceof SoupPacket.LoginRejected j) {
            out.writeByte(j.reason().code());
        } else if (packet instanceof SoupPacket.DataPacket data) {
            out.writeBytes(data.content(), data.content().readerIndex(), data.content().readableBytes());
        } else if (packet instanceof SoupPacket.LoginRequest l) {
            SoupFields.writeAlpha(out, l.username(), SoupPacket.USERNAME_WIDTH, false);
            SoupFields.writeAlpha(out, l.password(), SoupPacket.PASSWORD_WIDTH, false);
            SoupFields.writeAlpha(out, l.session(), SoupPacket.SESSION_WIDTH, true);
            SoupFields.writeNumeric(out, l.sequence(), SoupPacket.SEQUENCE_WIDTH);
        }
        // H, Z, R, O: the type byte is the whole packet
    }

    /**
     * Decodes the frame at the reader index of {@code in} if it is complete, advancing the reader index past it.
     *
     * <p>Errors are detected as early as the bytes allow: N = 0 or N above {@code maxPacketLength} as soon as the
     * length field arrived; an unknown type or a fixed-size packet with another N as soon as the type byte arrived.
     *
     * @param in accumulated bytes; only read, never released
     * @param streamOffset offset in the whole byte stream of the byte at {@code in.readerIndex()}
     * @param maxPacketLength the largest N accepted
     * @return the packet (a data packet holds a retained slice of {@code in}: the caller owns it), or {@code null}
     *     when the frame is incomplete (nothing consumed)
     * @throws ProtocolException when the bytes can never form a valid packet (type byte, N and stream offset in
     *     the message); nothing is consumed
     */
    static @Nullable SoupPacket decode(ByteBuf in, long streamOffset, int maxPacketLength) {
        return (SoupPacket) decode(in, streamOffset, maxPacketLength, false);
    }

    /**
     * Like {@link #decode(ByteBuf, long, int)}; with {@code copySequenced}, an {@code S} packet is returned as a
     * {@code byte[]}, a copy of its payload, instead of a packet holding a retained slice (what a client hands to its
     * application anyway, with no packet object around it).
     *
     * @return a {@link SoupPacket}, a {@code byte[]} (an {@code S} payload, only with {@code copySequenced}), or
     *     {@code null} when the frame is incomplete
     */
    static @Nullable Object decode(ByteBuf in, long streamOffset, int maxPacketLength, boolean copySequenced) {
        int readable = in.readableBytes();
        if (readable < HEADER_LENGTH) {
            return null;
        }
        int start = in.readerIndex();
        int n = in.getUnsignedShort(start);
        int typeByte = readable > HEADER_LENGTH ? in.getByte(start + HEADER_LENGTH) : FrameContext.UNKNOWN;
        // the context of errors and control packets only: a data packet (the stream) allocates none
        if (n == 0) {
            throw new FrameContext(start, streamOffset, n, typeByte).error(0,
                    "packet length 0 (a packet has at least its type byte)");
        }
        if (n > maxPacketLength) {
            throw new FrameContext(start, streamOffset, n, typeByte).error(0, "packet length " + n
                    + " exceeds maxPacketLength " + maxPacketLength);
        }
        if (typeByte == FrameContext.UNKNOWN) {
            return null;
        }
        SoupPacketType type = SoupPacketType.of((byte) typeByte);
        if (type == null) {
            throw new FrameContext(start, streamOffset, n, typeByte).error(HEADER_LENGTH,
                    "unknown packet type; expected one of + A J S H Z L U R O");
        }
        if (type.fixedLength() > 0 && n != type.fixedLength()) {
            String hint = type == SoupPacketType.LOGIN_REQUEST && n == 52
                    ? " (a SoupBinTCP 4.1 login; only 3.00 is spoken)" : "";
            throw new FrameContext(start, streamOffset, n, typeByte).error(0,
                    type.displayName() + " must have N=" + type.fixedLength() + hint);
        }
        if (readable < HEADER_LENGTH + n) {
            return null;
        }
        int payload = start + HEADER_LENGTH + 1;
        if (type == SoupPacketType.SEQUENCED_DATA || type == SoupPacketType.UNSEQUENCED_DATA) {
            return data(in, type, n, payload, copySequenced);
        }
        FrameContext frame = new FrameContext(start, streamOffset, n, typeByte);
        SoupPacket packet = switch (type) {
            case DEBUG -> new SoupPacket.Debug(
                    SoupFields.readText(in, payload, n - 1, "debug text", frame));
            case LOGIN_ACCEPTED -> new SoupPacket.LoginAccepted(
                    SoupFields.readAlpha(in, payload, SoupPacket.SESSION_WIDTH, "session", frame),
                    SoupFields.readNumeric(in, payload + SoupPacket.SESSION_WIDTH, SoupPacket.SEQUENCE_WIDTH,
                            "sequence number", SoupFields.MAX_SEQUENCE, "the largest sequence number a message "
                                    + "can have: the next expected number after it must fit a signed 64-bit counter",
                            frame));
            case LOGIN_REJECTED -> new SoupPacket.LoginRejected(rejectReason(in.getByte(payload), frame));
            case LOGIN_REQUEST -> decodeLogin(in, payload, frame);
            case SERVER_HEARTBEAT -> SoupPacket.ServerHeartbeat.INSTANCE;
            case END_OF_SESSION -> SoupPacket.EndOfSession.INSTANCE;
            case CLIENT_HEARTBEAT -> SoupPacket.ClientHeartbeat.INSTANCE;
            case LOGOUT_REQUEST -> SoupPacket.LogoutRequest.INSTANCE;
            case SEQUENCED_DATA, UNSEQUENCED_DATA -> throw new IllegalStateException("decoded above: " + type);
        };
        in.skipBytes(HEADER_LENGTH + n);
        return packet;
    }

    /** An {@code S} or {@code U} packet: a copy of an {@code S} payload when asked, else a retained slice. */
    private static Object data(ByteBuf in, SoupPacketType type, int n, int payload, boolean copySequenced) {
        if (copySequenced && type == SoupPacketType.SEQUENCED_DATA) {
            byte[] bytes = new byte[n - 1];
            in.getBytes(payload, bytes);
            in.skipBytes(HEADER_LENGTH + n);
            return bytes;
        }
        in.skipBytes(HEADER_LENGTH + 1);
        ByteBuf slice = in.readRetainedSlice(n - 1);
        return type == SoupPacketType.SEQUENCED_DATA
                ? new SoupPacket.SequencedData(slice) : new SoupPacket.UnsequencedData(slice);
    }

    private static SoupPacket.LoginRequest decodeLogin(ByteBuf in, int payload, FrameContext frame) {
        int at = payload;
        String username = SoupFields.readAlpha(in, at, SoupPacket.USERNAME_WIDTH, "username", frame);
        at += SoupPacket.USERNAME_WIDTH;
        String password = SoupFields.readAlpha(in, at, SoupPacket.PASSWORD_WIDTH, "password", frame);
        at += SoupPacket.PASSWORD_WIDTH;
        String session = SoupFields.readAlpha(in, at, SoupPacket.SESSION_WIDTH, "requested session", frame);
        at += SoupPacket.SESSION_WIDTH;
        // A bad number is the login's problem, not the framing's: the server answers it with a Login Reject.
        String error = SoupFields.checkRequestedSequence(in, at, SoupPacket.SEQUENCE_WIDTH);
        if (error != null) {
            return new SoupPacket.LoginRequest(username, password, session, 0, error);
        }
        return new SoupPacket.LoginRequest(username, password, session,
                SoupFields.readRequestedSequence(in, at, SoupPacket.SEQUENCE_WIDTH));
    }

    private static RejectReason rejectReason(byte code, FrameContext frame) {
        RejectReason reason = RejectReason.ofCode(code);
        if (reason == null) {
            throw frame.error(HEADER_LENGTH + 1, "reject reason " + FrameContext.describe(code)
                    + " is unknown; expected 'A' or 'S'");
        }
        return reason;
    }
}
