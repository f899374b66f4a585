package io.github.reactivepubsub.tcp.soup;

import org.jspecify.annotations.Nullable;

/**
 * The SoupBinTCP 3.00 packet types with their wire ids, sender and, for fixed-size packets, the exact packet
 * length N (type byte plus payload).
 */
enum SoupPacketType {
    DEBUG('+', Sender.EITHER, -1, "Debug"),
    LOGIN_ACCEPTED('A', Sender.SERVER, 31, "Login Accepted"),
    LOGIN_REJECTED('J', Sender.SERVER, 2, "Login Rejected"),
    SEQUENCED_DATA('S', Sender.SERVER, -1, "Sequenced Data"),
    SERVER_HEARTBEAT('H', Sender.SERVER, 1, "Server Heartbeat"),
    END_OF_SESSION('Z', Sender.SERVER, 1, "End of Session"),
    LOGIN_REQUEST('L', Sender.CLIENT, 47, "Login Request"),
    UNSEQUENCED_DATA('U', Sender.CLIENT, -1, "Unsequenced Data"),
    CLIENT_HEARTBEAT('R', Sender.CLIENT, 1, "Client Heartbeat"),
    LOGOUT_REQUEST('O', Sender.CLIENT, 1, "Logout Request");

    /** Which side may send a packet type. */
    enum Sender {
        SERVER, CLIENT, EITHER;

        /** @return whether a packet of this sender may come from {@code side} ({@code EITHER}: any packet) */
        boolean maySend(Sender side) {
            return this == EITHER || side == EITHER || this == side;
        }
    }

    private static final @Nullable SoupPacketType[] BY_ID = new SoupPacketType[128];

    static {
        for (SoupPacketType t : values()) {
            BY_ID[t.id] = t;
        }
    }

    private final byte id;
    private final Sender sender;
    private final int fixedLength;
    private final String displayName;

    SoupPacketType(char id, Sender sender, int fixedLength, String displayName) {
        this.id = (byte) id;
        this.sender = sender;
        this.fixedLength = fixedLength;
        this.displayName = displayName;
    }

    /** @return the type byte on the wire */
    byte id() {
        return id;
    }

    Sender sender() {
        return sender;
    }

    /** @return the exact packet length N (type byte + payload) of a fixed-size packet, or -1 for variable size */
    int fixedLength() {
        return fixedLength;
    }

    String displayName() {
        return displayName;
    }

    /** @return the type with this wire id, or {@code null} for an unknown id */
    static @Nullable SoupPacketType of(byte id) {
        return id >= 0 ? BY_ID[id] : null;
    }

    @Override
    public String toString() {
        return "'" + (char) id + "' " + displayName;
    }
}
