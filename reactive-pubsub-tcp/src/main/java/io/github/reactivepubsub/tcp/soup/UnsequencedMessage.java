package io.github.reactivepubsub.tcp.soup;

import io.github.reactivepubsub.tcp.wire.PeerText;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * Unsequenced data ({@code U}) a logged-in client sent to the server, with who sent it. Immutable.
 */
public final class UnsequencedMessage {

    /** How many payload bytes {@link #toString()} shows. */
    public static final int PREVIEW_BYTES = 32;

    private final String session;
    private final String username;
    private final SocketAddress remoteAddress;
    private final byte[] payload;

    UnsequencedMessage(String session, String username, SocketAddress remoteAddress, byte[] payload) {
        this.session = session;
        this.username = username;
        this.remoteAddress = remoteAddress;
        this.payload = payload;
    }

    /** @return the session the client is logged in to */
    public String session() {
        return session;
    }

    /** @return the username the client logged in with */
    public String username() {
        return username;
    }

    /** @return the client's address */
    public SocketAddress remoteAddress() {
        return remoteAddress;
    }

    /** @return a read-only view of the payload */
    public ByteBuffer payload() {
        return ByteBuffer.wrap(payload).asReadOnlyBuffer();
    }

    int payloadLength() {
        return payload.length;
    }

    /** @return a copy of the payload */
    public byte[] payloadBytes() {
        return payload.clone();
    }

    /** @return the payload decoded as ISO-8859-1 text (every byte one character) */
    public String payloadAsString() {
        return new String(payload, StandardCharsets.ISO_8859_1);
    }

    /**
     * @return the session, user, address, size and the first {@value #PREVIEW_BYTES} payload bytes, everything the
     *     client chose escaped ({@code \n}, {@code \xNN}), so the result is safe for a log line
     */
    @Override
    public String toString() {
        return "UnsequencedMessage[session=" + PeerText.escape(session) + ", username=" + PeerText.escape(username)
                + ", from=" + remoteAddress + ", " + payload.length + " bytes: '"
                + PeerText.escape(payload, PREVIEW_BYTES) + "']";
    }
}
