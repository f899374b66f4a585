package io.github.reactivepubsub.redis;

import io.github.reactivepubsub.InvalidKeyException;
import io.github.reactivepubsub.Key;
import org.jspecify.annotations.Nullable;

/**
 * The mapping between our keys and Redis channel names: a channel is the namespace (a literal prefix, possibly
 * empty) followed by the key's dotted form. A pattern becomes a Redis glob whose literal segments have every glob
 * metacharacter ({@code * ? [ ] \}) escaped; Redis's {@code *} also matches dots, so the glob can match more than
 * the pattern does, and arrivals are filtered with {@link Key#matches(Key)}.
 *
 * <pre>
 *   key      NASDAQ.trade.GOOGL   channel  app:NASDAQ.trade.GOOGL      (namespace "app:")
 *   pattern  *.trade.*            glob     app:*.trade.*              (then filtered: one segment per '*')
 *   pattern  NYSE.**              glob     app:NYSE*                  (matches NYSE and NYSE.x...; NYSEX filtered)
 *   pattern  a.*.**               glob     app:a.*                    (Redis's '*' covers the rest; shared with a.*)
 *   pattern  a?b.*                glob     app:a\?b.*                 (literal '?' escaped)
 * </pre>
 *
 * Immutable and thread-safe.
 */
final class ChannelNames {

    private final String namespace;
    private final String globNamespace;

    ChannelNames(String namespace) {
        this.namespace = namespace;
        this.globNamespace = escape(namespace);
    }

    String namespace() {
        return namespace;
    }

    /** @return the channel (and stream key) of a concrete key */
    String channel(Key key) {
        return namespace.isEmpty() ? key.toString() : namespace + key;
    }

    /**
     * The Redis glob that matches at least every channel of the pattern's keys.
     *
     * @param pattern a pattern (at least one {@code *} or {@code **} segment)
     * @return the escaped glob
     */
    String glob(Key pattern) {
        StringBuilder glob = new StringBuilder(globNamespace);
        int n = pattern.size();
        for (int i = 0; i < n; i++) {
            String segment = pattern.segment(i);
            if (segment.equals(Key.ANY_DEPTH)) {
                // zero or more segments: the prefix alone, or the prefix and '.' and anything; one '*' covers both
                // (the '.' written before it is removed, so "a.**" matches "a" too)
                if (i > 0) {
                    glob.setLength(glob.length() - 1);
                }
                if (i == 0 || !pattern.segment(i - 1).equals(Key.ANY)) {
                    glob.append('*'); // after a '*' segment, that '*' already matches the rest ("a.*.**" is "a.*")
                }
                return glob.toString();
            }
            glob.append(segment.equals(Key.ANY) ? "*" : escape(segment));
            if (i < n - 1) {
                glob.append('.');
            }
        }
        return glob.toString();
    }

    /**
     * The key of a channel, or null when the channel is outside the namespace or not a well-formed concrete key
     * (published by someone else: ignored).
     *
     * @param channel a channel name as received
     * @return the key, or null
     */
    @Nullable Key key(String channel) {
        if (!channel.startsWith(namespace) || channel.length() == namespace.length()) {
            return null;
        }
        try {
            Key key = Key.parse(namespace.isEmpty() ? channel : channel.substring(namespace.length()));
            return key.isPattern() ? null : key;
        } catch (InvalidKeyException e) {
            return null;
        }
    }

    /** Escapes the glob metacharacters of a literal. */
    static String escape(String literal) {
        StringBuilder out = null;
        for (int i = 0; i < literal.length(); i++) {
            char c = literal.charAt(i);
            boolean meta = c == '*' || c == '?' || c == '[' || c == ']' || c == '\\';
            if (meta && out == null) {
                out = new StringBuilder(literal.length() + 8).append(literal, 0, i);
            }
            if (out != null) {
                if (meta) {
                    out.append('\\');
                }
                out.append(c);
            }
        }
        return out == null ? literal : out.toString();
    }

    /**
     * A channel name (or anything else a peer sent) made safe to log: control characters, quotes and backslashes
     * escaped, non-ASCII as {@code \\uXXXX}, cut to 200 characters.
     */
    static String printable(String text) {
        StringBuilder out = new StringBuilder(Math.min(text.length(), 200) + 16);
        int limit = Math.min(text.length(), 200);
        for (int i = 0; i < limit; i++) {
            char c = text.charAt(i);
            if (c >= 0x20 && c < 0x7f && c != '\\' && c != '\'') {
                out.append(c);
            } else {
                out.append(String.format("\\u%04x", (int) c));
            }
        }
        if (text.length() > limit) {
            out.append("...(").append(text.length()).append(" chars)");
        }
        return out.toString();
    }
}
