package io.github.reactivepubsub.tcp.soup;

import java.nio.charset.StandardCharsets;

/**
 * A named sequenced stream served by a {@link SoupBinTcpServer}: what {@link #publish(byte[]) is published} is
 * numbered and delivered to every client logged in to the session, from the sequence number each requested.
 *
 * <p>Threading: thread-safe; publishing never blocks and never waits for clients (a slow client only falls behind
 * in the store). {@link #end()} sends End of Session to every client once it has received every message.
 */
public final class SoupSession {

    private final String name;
    private final MessageStore store;

    SoupSession(String name, MessageStore store) {
        this.name = name;
        this.store = store;
    }

    /** @return the session name as sent in Login Accepted */
    public String name() {
        return name;
    }

    /**
     * Appends a message to the session's stream.
     *
     * @param payload the message; kept by the store, must not be modified afterwards
     * @return its sequence number
     * @throws IllegalStateException after {@link #end()}
     * @throws IllegalArgumentException when longer than 65534 bytes (a SoupBinTCP packet cannot carry it)
     */
    public long publish(byte[] payload) {
        if (payload.length > SoupCodec.MAX_PACKET_LENGTH - 1) {
            throw new IllegalArgumentException("message of " + payload.length + " bytes exceeds the SoupBinTCP "
                    + "maximum of " + (SoupCodec.MAX_PACKET_LENGTH - 1));
        }
        return store.append(payload);
    }

    /**
     * @param text ASCII / ISO-8859-1 text
     * @return the sequence number of the message
     */
    public long publish(String text) {
        return publish(text.getBytes(StandardCharsets.ISO_8859_1));
    }

    /** @return the number the next published message gets */
    public long nextSequence() {
        return store.nextSequence();
    }

    /** @return the store behind this session */
    public MessageStore store() {
        return store;
    }

    /**
     * Ends the session: clients receive every message published before, then End of Session ({@code Z}), and are
     * disconnected. Later logins get the retained messages from their requested number, then {@code Z}.
     * Idempotent.
     */
    public void end() {
        store.end();
    }

    @Override
    public String toString() {
        return "SoupSession[" + name + ", next=" + store.nextSequence() + (store.isEnded() ? ", ended" : "") + "]";
    }
}
