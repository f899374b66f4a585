package io.github.reactivepubsub;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * An immutable hierarchical key: a non-empty sequence of non-empty segments, written with {@code .} between them
 * ({@code NASDAQ.trade.GOOGL}). A segment holds no whitespace and no control character (keys appear in logs and on
 * the wire, where a line break or a space would be ambiguous).
 *
 * <p>A key may also be a <em>pattern</em>: a segment {@code *} matches exactly one segment, and a last segment
 * {@code **} matches zero or more segments. {@code *.trade.*} matches {@code NYSE.trade.IBM}; {@code NYSE.**}
 * matches {@code NYSE}, {@code NYSE.trade} and {@code NYSE.trade.IBM}. (aiopubsub's trailing {@code *}, "one or
 * more", is {@code *.**} here.) A wildcard is always a whole segment: {@code GOO*} is rejected, not a prefix match.
 * Publishing requires a concrete key (no wildcard); subscribing accepts both.
 *
 * <pre>{@code
 * Key trade = Key.parse("NASDAQ.trade.GOOGL");
 * Key allTrades = Key.parse("*.trade.*");
 * allTrades.matches(trade); // true
 * }</pre>
 *
 * <p>Instances are immutable and thread-safe; equality is by segments.
 */
public final class Key {

    /** The wildcard segment matching exactly one segment. */
    public static final String ANY = "*";
    /** The wildcard last segment matching zero or more segments. */
    public static final String ANY_DEPTH = "**";

    private final String[] segments;
    private final boolean pattern;
    private final int hash;
    private @Nullable String text;

    private Key(String[] segments) {
        this.segments = segments;
        boolean p = false;
        for (String s : segments) {
            p |= s.equals(ANY) || s.equals(ANY_DEPTH);
        }
        this.pattern = p;
        this.hash = Arrays.hashCode(segments);
    }

    /**
     * A key or pattern from its segments.
     *
     * @param segments one or more segments, each non-empty, without {@code .}, whitespace or control characters;
     *     {@code *} anywhere and {@code **} in last place make it a pattern
     * @return the key
     * @throws InvalidKeyException when there is no segment or a segment is invalid
     */
    public static Key of(String... segments) {
        if (segments.length == 0) {
            throw new InvalidKeyException("a key needs at least one segment, got none");
        }
        String[] copy = segments.clone();
        for (int i = 0; i < copy.length; i++) {
            checkSegment(copy, i, null);
        }
        return new Key(copy);
    }

    /**
     * A key or pattern from its segments.
     *
     * @param segments see {@link #of(String...)}
     * @return the key
     * @throws InvalidKeyException when there is no segment or a segment is invalid
     */
    public static Key of(List<String> segments) {
        return of(segments.toArray(new String[0]));
    }

    /**
     * Parses a dotted key or pattern such as {@code NASDAQ.trade.GOOGL} or {@code *.trade.**}.
     *
     * @param text the key, segments separated by {@code .}
     * @return the key
     * @throws InvalidKeyException naming the position of an empty or invalid segment
     */
    public static Key parse(String text) {
        if (text.isEmpty()) {
            throw new InvalidKeyException("empty key: expected segments separated by '.', e.g. 'NASDAQ.trade.GOOGL'");
        }
        String[] parts = text.split("\\.", -1);
        for (int i = 0; i < parts.length; i++) {
            checkSegment(parts, i, text);
        }
        Key key = new Key(parts);
        key.text = text;
        return key;
    }

    private static void checkSegment(String[] segments, int index, @Nullable String text) {
        String s = segments[index];
        if (s == null || s.isEmpty()) {
            throw new InvalidKeyException("empty " + where(segments, index, text)
                    + ": every segment needs at least one character");
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isISOControl(c) || Character.isWhitespace(c) || Character.isSpaceChar(c)) {
                throw new InvalidKeyException("segment " + index + " has the character U+"
                        + String.format("%04X", (int) c) + " at index " + i
                        + ": segments must not contain whitespace or control characters");
            }
        }
        if (text == null && s.indexOf('.') >= 0) {
            throw new InvalidKeyException("'" + s + "' in " + where(segments, index, text)
                    + " contains '.', the segment separator");
        }
        if (s.equals(ANY_DEPTH)) {
            if (index != segments.length - 1) {
                throw new InvalidKeyException("'**' in " + where(segments, index, text) + " must be the last segment");
            }
        } else if (!s.equals(ANY) && s.indexOf('*') >= 0) {
            throw new InvalidKeyException("'" + s + "' in " + where(segments, index, text)
                    + ": a wildcard must be a whole segment ('*' or a last '**')");
        }
    }

    /** Where a bad segment is, for the error message only (built when one is thrown, not per valid segment). */
    private static String where(String[] segments, int index, @Nullable String text) {
        return text == null ? "segment " + index + " of " + Arrays.toString(segments)
                : "segment " + index + " of '" + text + "'";
    }

    /**
     * Returns this key if it is concrete.
     *
     * @return this key
     * @throws InvalidKeyException when the key contains a wildcard
     */
    public Key requireConcrete() {
        if (pattern) {
            throw new InvalidKeyException("'" + this + "' is a pattern: publishing needs a concrete key without '*' or '**'");
        }
        return this;
    }

    /** @return whether any segment is {@code *} or {@code **} */
    public boolean isPattern() {
        return pattern;
    }

    /** @return the number of segments */
    public int size() {
        return segments.length;
    }

    /**
     * @param index a segment index, from 0
     * @return that segment
     * @throws IndexOutOfBoundsException when out of range
     */
    public String segment(int index) {
        return segments[index];
    }

    /** @return the segments, as an unmodifiable list */
    public List<String> segments() {
        return List.of(segments);
    }

    /**
     * This key followed by the segments of another.
     *
     * @param other the suffix
     * @return the concatenation
     * @throws InvalidKeyException when the result would have {@code **} before its last segment
     */
    public Key concat(Key other) {
        if (segments[segments.length - 1].equals(ANY_DEPTH)) {
            throw new InvalidKeyException("cannot append '" + other + "' to '" + this + "': '**' must stay last");
        }
        String[] joined = Arrays.copyOf(segments, segments.length + other.segments.length);
        System.arraycopy(other.segments, 0, joined, segments.length, other.segments.length);
        return new Key(joined);
    }

    /**
     * This key followed by more segments.
     *
     * @param more the segments to append
     * @return the concatenation
     * @throws InvalidKeyException when a segment is invalid
     */
    public Key concat(String... more) {
        return more.length == 0 ? this : concat(of(more));
    }

    /**
     * @param prefix a candidate prefix, compared segment by segment literally
     * @return whether this key's first segments equal the prefix's segments
     */
    public boolean startsWith(Key prefix) {
        if (prefix.segments.length > segments.length) {
            return false;
        }
        for (int i = 0; i < prefix.segments.length; i++) {
            if (!prefix.segments[i].equals(segments[i])) {
                return false;
            }
        }
        return true;
    }

    /**
     * Whether this pattern matches a key. Segments of {@code key} are taken literally, so a key that is itself a
     * pattern matches when its segments do ({@code *} in this pattern matches a literal {@code *} segment too).
     *
     * @param key the key to test
     * @return whether this pattern (or, if concrete, this key) matches it
     */
    public boolean matches(Key key) {
        return matches(0, key, 0);
    }

    private boolean matches(int i, Key key, int j) {
        String[] k = key.segments;
        for (; i < segments.length; i++, j++) {
            String s = segments[i];
            if (s.equals(ANY_DEPTH)) {
                return true;
            }
            if (j == k.length || (!s.equals(ANY) && !s.equals(k[j]))) {
                return false;
            }
        }
        return j == k.length;
    }

    /**
     * The keys this pattern matches (see {@link #matches(Key)}), sorted by their dotted form: what hubs answer to
     * {@link Hub#topics(Key)}.
     *
     * @param keys candidate keys (not modified)
     * @return a new list of the matching keys
     */
    public List<Key> select(Collection<Key> keys) {
        List<Key> result = new ArrayList<>();
        for (Key key : keys) {
            if (matches(key)) {
                result.add(key);
            }
        }
        result.sort(Comparator.comparing(Key::toString));
        return result;
    }

    /** Segments array, not copied: for the hub's routing only. */
    String[] segmentArray() {
        return segments;
    }

    @Override
    public boolean equals(@Nullable Object o) {
        return o instanceof Key other && hash == other.hash && Arrays.equals(segments, other.segments);
    }

    @Override
    public int hashCode() {
        return hash;
    }

    /** @return the dotted form, which {@link #parse(String)} reads back */
    @Override
    public String toString() {
        String t = text;
        if (t == null) {
            t = String.join(".", segments);
            text = t;
        }
        return t;
    }
}
