package io.github.reactivepubsub.samples;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code --name value} command-line options, checked against the names a tool accepts, and the positional words
 * between them (for tools with sub-commands).
 */
final class CliArgs {

    /** A command line that does not follow the tool's usage. */
    static final class UsageException extends IllegalArgumentException {
        private static final long serialVersionUID = 1L;

        UsageException(String message) {
            super(message);
        }
    }

    private final Map<String, String> values = new HashMap<>();
    private final List<String> positional = new ArrayList<>();

    /** Options only: a positional word is a usage error. */
    CliArgs(String[] args, Set<String> allowed) {
        this(args, allowed, false);
    }

    /**
     * @param args the command line
     * @param allowed the option names (without {@code --})
     * @param positionalAllowed whether words that are not options are kept (see {@link #positional()})
     */
    CliArgs(String[] args, Set<String> allowed, boolean positionalAllowed) {
        for (int i = 0; i < args.length; i++) {
            String name = args[i];
            if (positionalAllowed && !name.startsWith("--")) {
                positional.add(name);
                continue;
            }
            if (!name.startsWith("--") || !allowed.contains(name.substring(2))) {
                throw new UsageException("unknown option '" + name + "': expected one of " + allowed);
            }
            if (i + 1 == args.length) {
                throw new UsageException("option " + name + " needs a value");
            }
            values.put(name.substring(2), args[++i]);
        }
    }

    /** @return the words that are not options, in order */
    List<String> positional() {
        return positional;
    }

    /** @return whether the option was given */
    boolean has(String name) {
        return values.containsKey(name);
    }

    String required(String name) {
        String value = values.get(name);
        if (value == null) {
            throw new UsageException("missing --" + name);
        }
        return value;
    }

    String optional(String name, String fallback) {
        return values.getOrDefault(name, fallback);
    }

    String oneOf(String name, String fallback, List<String> choices) {
        String value = optional(name, fallback);
        if (!choices.contains(value)) {
            throw new UsageException("--" + name + " is '" + value + "': expected one of " + choices);
        }
        return value;
    }

    long number(String name, long fallback, long min) {
        String text = optional(name, Long.toString(fallback));
        try {
            long value = Long.parseLong(text);
            if (value < min) {
                throw new UsageException("--" + name + " is " + value + ": expected at least " + min);
            }
            return value;
        } catch (NumberFormatException e) {
            throw new UsageException("--" + name + " is '" + text + "': expected a whole number");
        }
    }
}
