package io.github.reactivepubsub.internal;

/**
 * Text from outside (a peer's key, reason or payload preview) made safe to log: every character outside printable
 * ASCII is escaped ({@code \n}, {@code \r}, {@code \t}, {@code \\}, {@code \xNN}, {@code \}{@code uNNNN}), so it
 * cannot forge or split log lines, and the result is cut to a bound with the count of what was left out. Shared by
 * the transports (the TCP module's {@code PeerText} delegates here; the mmap bridge logs rejected elements with it).
 * Not API.
 *
 * <p>Thread-safe (stateless).
 */
public final class EscapedText {

    private EscapedText() {
    }

    /**
     * @param text what came from outside
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
     * @param bytes what came from outside, each byte read as one ISO-8859-1 character
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
