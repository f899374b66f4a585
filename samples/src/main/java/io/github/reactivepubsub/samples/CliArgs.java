package io.github.reactivepubsub.samples;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/** {@code --name value} command-line arguments, checked against the names a tool knows. */
final class CliArgs {

    /** Exit status for a command line that cannot be used (as sysexits' EX_USAGE). */
    static final int USAGE = 64;

    private final Map<String, String> values;
    private final String usage;

    private CliArgs(Map<String, String> values, String usage) {
        this.values = values;
        this.usage = usage;
    }

    /**
     * @throws IllegalArgumentException for an unknown name, a name without value, or a missing required one
     */
    static CliArgs parse(String[] args, Set<String> required, Set<String> optional, String usage) {
        Map<String, String> values = new HashMap<>();
        for (int i = 0; i < args.length; i++) {
            String name = args[i];
            if (!name.startsWith("--") || !(required.contains(name.substring(2))
                    || optional.contains(name.substring(2)))) {
                throw new IllegalArgumentException("unknown argument '" + name + "'");
            }
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException("argument " + name + " needs a value");
            }
            values.put(name.substring(2), args[++i]);
        }
        for (String name : required) {
            if (!values.containsKey(name)) {
                throw new IllegalArgumentException("missing --" + name);
            }
        }
        return new CliArgs(values, usage);
    }

    String get(String name, String fallback) {
        return values.getOrDefault(name, fallback);
    }

    String get(String name) {
        String v = values.get(name);
        if (v == null) {
            throw new IllegalArgumentException("missing --" + name);
        }
        return v;
    }

    long number(String name) {
        try {
            return Long.parseLong(get(name));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--" + name + " '" + get(name) + "' is not a number");
        }
    }

    boolean has(String name) {
        return values.containsKey(name);
    }

    String usage() {
        return usage;
    }
}
