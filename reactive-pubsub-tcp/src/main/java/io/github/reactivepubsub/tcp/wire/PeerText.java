package io.github.reactivepubsub.tcp.wire;

/**
 * Text a peer chose (usernames, keys, reasons, payload previews), made safe to log or echo: every character outside
 * printable ASCII is escaped ({@code \n}, {@code \r}, {@code \t}, {@code \\}, {@code \xNN}, {@code \}{@code uNNNN}),
 * so a peer cannot forge or split log lines, and the result is cut to a bound with the count of what was left out,
 * so a peer cannot make a log line or an ERROR frame as long as its own frame. Stateless; thread-safe.
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
        int kept = Math.min(text.length(), maxChars);
        StringBuilder out = new StringBuilder(kept + 16);
        for (int i = 0; i < kept; i++) {
            append(out, text.charAt(i));
        }
        return cut(out, text.length() - kept);
    }

    /**
     * @param bytes what the peer sent, each byte read as one ISO-8859-1 character
     * @param maxBytes how many bytes to keep
     * @return the first {@code maxBytes} bytes as escaped text, then {@code "...(N more)"} when some were cut
     */
    public static String escape(byte[] bytes, int maxBytes) {
        int kept = Math.min(bytes.length, maxBytes);
        StringBuilder out = new StringBuilder(kept + 16);
        for (int i = 0; i < kept; i++) {
            append(out, (char) (bytes[i] & 0xFF));
        }
        return cut(out, bytes.length - kept);
    }

    private static String cut(StringBuilder out, int left) {
        if (left > 0) {
            out.append("...(").append(left).append(" more)");
        }
        return out.toString();
    }

    private static void append(StringBuilder out, char c) {
        switch (c) {
            case '\n' -> out.append("\\n");
            case '\r' -> out.append("\\r");
            case '\t' -> out.append("\\t");
            case '\\' -> out.append("\\\\");
            default -> {
                if (c >= 0x20 && c < 0x7F) {
                    out.append(c);
                } else if (c < 0x100) {
                    out.append("\\x").append(Character.forDigit(c >> 4, 16)).append(Character.forDigit(c & 0xF, 16));
                } else {
                    out.append(String.format("\\u%04x", (int) c));
                }
            }
        }
    }
}
