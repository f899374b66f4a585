package io.github.reactivepubsub.tcp.wire;

import io.github.reactivepubsub.internal.EscapedText;

/**
 * Text a peer chose (usernames, keys, reasons, payload previews), made safe to log or echo: every character outside
 * printable ASCII is escaped ({@code \n}, {@code \r}, {@code \t}, {@code \\}, {@code \xNN}, {@code \}{@code uNNNN}),
 * so a peer cannot forge or split log lines, and the result is cut to a bound with the count of what was left out,
 * so a peer cannot make a log line or an ERROR frame as long as its own frame. Stateless; thread-safe. The escaping
 * itself is core's internal {@code EscapedText}, which the other transports share.
 *
 * <pre>{@code
 * // a username of "bob", CR, LF, "INFO forged" is logged on one line as bob\r\nINFO forged
 * LOG.warn("login failed for '{}'", PeerText.escape(username));
 * }</pre>
 */
public final class PeerText {

    /** How many characters of a peer's text are kept by {@link #escape(CharSequence)}. */
    public static final int DEFAULT_MAX_CHARS = 64;

    private PeerText() {
    }

    /**
     * @param text what the peer sent
     * @return the first {@value #DEFAULT_MAX_CHARS} characters, escaped, and a note of how many more there were
     */
    public static String escape(CharSequence text) {
        return escape(text, DEFAULT_MAX_CHARS);
    }

    /**
     * @param text what the peer sent
     * @param maxChars how many characters of {@code text} to keep (the escaped form may be longer)
     * @return the first {@code maxChars} characters, escaped, then {@code "...(N more)"} when some were cut
     */
    public static String escape(CharSequence text, int maxChars) {
        return EscapedText.escape(text, maxChars);
    }

    /**
     * @param bytes what the peer sent, each byte read as one ISO-8859-1 character
     * @param maxBytes how many bytes to keep
     * @return the first {@code maxBytes} bytes as escaped text, then {@code "...(N more)"} when some were cut
     */
    public static String escape(byte[] bytes, int maxBytes) {
        return EscapedText.escape(bytes, maxBytes);
    }
}
