package io.github.reactivepubsub.tcp.soup;

import io.github.reactivepubsub.tcp.wire.PeerText;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.DefaultByteBufHolder;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * One SoupBinTCP 3.00 packet: one class per packet type, each naming its {@link SoupPacketType}.
 *
 * <p>Constructors validate against the encode rules of {@code docs/soupbintcp.md}, section 3 (ASCII only, alpha
 * fields no longer than their width, sequence numbers not negative) and throw {@link IllegalArgumentException}
 * naming the field, the value and the limit. The data packets {@link SequencedData} and {@link UnsequencedData} hold
 * a reference-counted payload ({@code ByteBuf}): whoever holds such a packet owns one reference and must release it
 * exactly once; every other packet is an immutable value.
 */
sealed interface SoupPacket {

    /** @return the packet type */
    SoupPacketType type();

    /** Width of the username field of a Login Request. */
    int USERNAME_WIDTH = 6;
    /** Width of the password field of a Login Request. */
    int PASSWORD_WIDTH = 10;
    /** Width of the session fields of Login Request and Login Accepted. */
    int SESSION_WIDTH = 10;
    /** Width of the sequence number fields of Login Request and Login Accepted. */
    int SEQUENCE_WIDTH = 20;

    /** {@code +}: free-form ASCII text, either direction. */
    record Debug(String text) implements SoupPacket {
        public Debug {
            SoupFields.checkAscii("debug text", text, 65_534);
        }

        @Override
        public SoupPacketType type() {
            return SoupPacketType.DEBUG;
        }

        /** @return the text escaped and cut (it is the peer's), safe for a log line */
        @Override
        public String toString() {
            return "Debug[text=" + PeerText.escape(text, 256) + "]";
        }
    }

    /** {@code A}: the session joined and the sequence number of the next {@code S} the server sends. */
    record LoginAccepted(String session, long sequence) implements SoupPacket {
        public LoginAccepted {
            SoupFields.checkAscii("session", session, SESSION_WIDTH);
            SoupFields.checkSequence("sequence number", sequence);
        }

        @Override
        public SoupPacketType type() {
            return SoupPacketType.LOGIN_ACCEPTED;
        }

        /** @return the session escaped (it is the peer's), safe for a log line */
        @Override
        public String toString() {
            return "LoginAccepted[session=" + PeerText.escape(session) + ", sequence=" + sequence + "]";
        }
    }

    /** {@code J}: the login was rejected for this reason. */
    record LoginRejected(RejectReason reason) implements SoupPacket {
        public LoginRejected {
            Objects.requireNonNull(reason, "reason");
        }

        @Override
        public SoupPacketType type() {
            return SoupPacketType.LOGIN_REJECTED;
        }
    }

    /** A packet whose payload is an opaque, reference-counted application message ({@code S} or {@code U}). */
    abstract sealed class DataPacket extends DefaultByteBufHolder implements SoupPacket
            permits SequencedData, UnsequencedData {
        DataPacket(ByteBuf payload) {
            super(payload);
        }

        @Override
        public String toString() {
            return getClass().getSimpleName() + "[" + content().readableBytes() + " bytes]";
        }
    }

    /** {@code S}: one sequenced message; owns one reference to its payload. */
    final class SequencedData extends DataPacket {
        SequencedData(ByteBuf payload) {
            super(payload);
        }

        @Override
        public SoupPacketType type() {
            return SoupPacketType.SEQUENCED_DATA;
        }

        @Override
        public SequencedData replace(ByteBuf content) {
            return new SequencedData(content);
        }
    }

    /** {@code U}: one unsequenced message from the client; owns one reference to its payload. */
    final class UnsequencedData extends DataPacket {
        UnsequencedData(ByteBuf payload) {
            super(payload);
        }

        @Override
        public SoupPacketType type() {
            return SoupPacketType.UNSEQUENCED_DATA;
        }

        @Override
        public UnsequencedData replace(ByteBuf content) {
            return new UnsequencedData(content);
        }
    }

    /** {@code H}. */
    enum ServerHeartbeat implements SoupPacket {
        INSTANCE;

        @Override
        public SoupPacketType type() {
            return SoupPacketType.SERVER_HEARTBEAT;
        }
    }

    /** {@code Z}. */
    enum EndOfSession implements SoupPacket {
        INSTANCE;

        @Override
        public SoupPacketType type() {
            return SoupPacketType.END_OF_SESSION;
        }
    }

    /**
     * {@code L}: credentials, requested session (empty = the current session) and requested sequence number
     * ({@code 0} = only new messages). A received packet whose sequence field is not a number carries why in
     * {@link #sequenceError()} (the server answers it with a Login Reject); a number of all digits beyond the signed
     * 64-bit range is beyond any stream and decodes as {@code Long.MAX_VALUE}. The password never appears in
     * {@link #toString()}; the other fields appear escaped.
     *
     * @param username the username
     * @param password the password
     * @param session the requested session
     * @param sequence the requested sequence number, 0 or more (0 when {@code sequenceError} is set)
     * @param sequenceError why the received sequence field is not a number, or {@code null}
     */
    record LoginRequest(String username, String password, String session, long sequence,
            @Nullable String sequenceError) implements SoupPacket {
        public LoginRequest {
            SoupFields.checkAscii("username", username, USERNAME_WIDTH);
            SoupFields.checkSecretAscii("password", password, PASSWORD_WIDTH);
            SoupFields.checkAscii("requested session", session, SESSION_WIDTH);
            SoupFields.checkSequence("requested sequence number", sequence);
        }

        LoginRequest(String username, String password, String session, long sequence) {
            this(username, password, session, sequence, null);
        }

        @Override
        public SoupPacketType type() {
            return SoupPacketType.LOGIN_REQUEST;
        }

        @Override
        public String toString() {
            return "LoginRequest[username=" + PeerText.escape(username) + ", password=****, session="
                    + PeerText.escape(session) + ", sequence="
                    + (sequenceError == null ? Long.toString(sequence) : "invalid (" + sequenceError + ")") + "]";
        }
    }

    /** {@code R}. */
    enum ClientHeartbeat implements SoupPacket {
        INSTANCE;

        @Override
        public SoupPacketType type() {
            return SoupPacketType.CLIENT_HEARTBEAT;
        }
    }

    /** {@code O}. */
    enum LogoutRequest implements SoupPacket {
        INSTANCE;

        @Override
        public SoupPacketType type() {
            return SoupPacketType.LOGOUT_REQUEST;
        }
    }
}
