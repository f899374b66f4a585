package io.github.reactivepubsub.facade;

/**
 * A name pattern where {@code *} matches any characters (including none) and every other character is literal,
 * regex metacharacters and backslashes included: {@code a.b} matches only {@code a.b}, {@code \d} only {@code \d}.
 * pulsar built a regex from such patterns without escaping them; this matcher builds no regex at all.
 *
 * <p>Matching splits the pattern at each {@code *}: the first part must be a prefix, the last a suffix (not
 * overlapping the prefix), and the parts between must occur in order in what remains; taking the leftmost
 * occurrence of each middle part is optimal, so matching is linear in the name and never backtracks.
 *
 * <p>Immutable and thread-safe.
 */
final class Glob {

    private final String pattern;
    /** The literal parts between the {@code *}s; a single part when the pattern has no {@code *}. */
    private final String[] parts;

    private Glob(String pattern) {
        this.pattern = pattern;
        this.parts = pattern.split("\\*", -1);
    }

    static Glob of(String pattern) {
        return new Glob(pattern);
    }

    /** @return whether the pattern contains no {@code *} (it then matches only itself) */
    boolean isLiteral() {
        return parts.length == 1;
    }

    boolean matches(String name) {
        if (parts.length == 1) {
            return name.equals(pattern);
        }
        String first = parts[0];
        String last = parts[parts.length - 1];
        if (name.length() < first.length() + last.length() || !name.startsWith(first) || !name.endsWith(last)) {
            return false;
        }
        int from = first.length();
        int end = name.length() - last.length();
        for (int i = 1; i < parts.length - 1; i++) {
            String part = parts[i];
            if (part.isEmpty()) {
                continue;
            }
            int at = name.indexOf(part, from);
            if (at < 0 || at + part.length() > end) {
                return false;
            }
            from = at + part.length();
        }
        return true;
    }

    @Override
    public String toString() {
        return pattern;
    }
}
