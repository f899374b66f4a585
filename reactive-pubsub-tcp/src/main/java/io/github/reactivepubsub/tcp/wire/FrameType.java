package io.github.reactivepubsub.tcp.wire;

import io.github.reactivepubsub.ProtocolException;

/**
 * The frame types of the remote hub protocol and their wire ids: the first byte of every frame's body (see
 * {@code docs/wire-protocol.md}). Ids are explicit and never reused.
 */
enum FrameType {
    /** Client → server, first frame: versions and credentials. */
    HELLO(0x01),
    /** Server → client: accepted; the chosen version, heartbeat interval, limits, size of the topic snapshot. */
    WELCOME(0x02),
    /** Client → server: a new remote subscription (id, buffer, overflow policy, pattern). */
    SUBSCRIBE(0x03),
    /** Client → server: end a remote subscription. */
    UNSUBSCRIBE(0x04),
    /** Client → server: more messages the client can take for a subscription. */
    CREDIT(0x05),
    /** Client → server: publish a payload to a concrete key. */
    PUBLISH(0x06),
    /** Server → client: one message for a subscription. */
    MESSAGE(0x07),
    /** Server → client: a subscription ended on the server (completed, overflowed, failed). */
    SUBSCRIPTION_END(0x08),
    /** Server → client: one entry of the topic snapshot following WELCOME. */
    TOPIC(0x09),
    /** Server → client: a subscriber joined or left a topic of the server's hub. */
    EVENT(0x0A),
    /** Either way: nothing else was sent for a heartbeat interval. */
    HEARTBEAT(0x0B),
    /** Either way: the connection is being closed by the sender, with a code and a reason. */
    ERROR(0x0C),
    /** Client → server, version 2: declare a topic with options (replay) for as long as the declaration lives. */
    DECLARE(0x0D),
    /** Client → server, version 2: release a declaration. */
    UNDECLARE(0x0E),
    /** Server → client, version 2: a declaration was refused by the server's hub. */
    DECLARATION_REFUSED(0x0F),
    /** Server → client, version 2: the options of an active topic that has other than the default ones. */
    TOPIC_OPTIONS(0x10),
    /** Server → client, version 2: a subscription's buffer on the server dropped messages (how many, where). */
    DROPPED(0x11);

    private static final FrameType[] BY_ID = new FrameType[256];

    static {
        for (FrameType type : values()) {
            BY_ID[type.id] = type;
        }
    }

    private final int id;

    FrameType(int id) {
        this.id = id;
    }

    /** @return the wire id (an unsigned byte) */
    int id() {
        return id;
    }

    /**
     * @param id the first byte of a frame body, unsigned
     * @return the frame type
     * @throws ProtocolException when no frame type has this id
     */
    static FrameType of(int id) {
        FrameType type = BY_ID[id & 0xFF];
        if (type == null) {
            throw new ProtocolException(0, "unknown frame type 0x" + Integer.toHexString(id & 0xFF)
                    + "; expected one of 0x01..0x11 (docs/wire-protocol.md)");
        }
        return type;
    }
}
