package io.github.reactivepubsub.tcp.soup;

import java.util.Objects;

/**
 * A username and password as carried by a SoupBinTCP Login Request (6 and 10 ASCII characters at most). The
 * password never appears in {@link #toString()}.
 *
 * @param username the username, trimmed of padding
 * @param password the password, trimmed of padding
 */
public record Credentials(String username, String password) {

    /**
     * @param username the username, trimmed of padding
     * @param password the password, trimmed of padding
     * @throws IllegalArgumentException when a field is longer than its width or not ASCII
     */
    public Credentials {
        SoupFields.checkAscii("username", username, SoupPacket.USERNAME_WIDTH);
        SoupFields.checkAscii("password", password, SoupPacket.PASSWORD_WIDTH);
    }

    /** @return whether these credentials equal {@code username} / {@code password} */
    boolean matches(String username, String password) {
        return this.username.equals(username) && Objects.equals(this.password, password);
    }

    @Override
    public String toString() {
        return "Credentials[username=" + username + ", password=****]";
    }
}
