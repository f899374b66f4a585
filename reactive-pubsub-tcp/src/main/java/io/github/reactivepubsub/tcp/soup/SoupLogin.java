package io.github.reactivepubsub.tcp.soup;

/**
 * What a {@link SoupBinTcpClient} logs in with: credentials, the requested session (empty = the server's current
 * session) and the requested sequence number ({@code 1} = from the first message, {@code n} = from {@code n},
 * {@code 0} = only new messages). Immutable; the password never appears in {@link #toString()}.
 *
 * @param username at most 6 ASCII characters
 * @param password at most 10 ASCII characters
 * @param session at most 10 ASCII characters; empty for the current session
 * @param sequence 0 or more
 */
public record SoupLogin(String username, String password, String session, long sequence) {

    /**
     * @param username at most 6 ASCII characters
     * @param password at most 10 ASCII characters
     * @param session at most 10 ASCII characters; empty for the current session
     * @param sequence 0 or more
     * @throws IllegalArgumentException when a field is too long, not ASCII, or the sequence number negative
     */
    public SoupLogin {
        SoupFields.checkAscii("username", username, SoupPacket.USERNAME_WIDTH);
        SoupFields.checkSecretAscii("password", password, SoupPacket.PASSWORD_WIDTH);
        SoupFields.checkAscii("requested session", session, SoupPacket.SESSION_WIDTH);
        SoupFields.checkSequence("requested sequence number", sequence);
    }

    /**
     * @param sequence the requested sequence number
     * @return a copy with it
     */
    public SoupLogin withSequence(long sequence) {
        return new SoupLogin(username, password, session, sequence);
    }

    /**
     * @param session the requested session
     * @return a copy with it
     */
    public SoupLogin withSession(String session) {
        return new SoupLogin(username, password, session, sequence);
    }

    SoupPacket.LoginRequest toPacket() {
        return new SoupPacket.LoginRequest(username, password, session, sequence);
    }

    @Override
    public String toString() {
        return "SoupLogin[username=" + username + ", password=****, session=" + session + ", sequence=" + sequence
                + "]";
    }
}
