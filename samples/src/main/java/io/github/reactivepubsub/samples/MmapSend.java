package io.github.reactivepubsub.samples;

import io.github.reactivepubsub.mmap.Layout;
import io.github.reactivepubsub.mmap.MmapPublisher;
import io.github.reactivepubsub.mmap.PublisherOptions;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.locks.LockSupport;

/**
 * Creates a shared-memory feed and publishes each line of standard input, read as hex, as one datagram; closes
 * the feed at the end of input.
 *
 * <pre>
 * printf '0102\nff\n' | mvn -q -pl samples -am compile exec:java \
 *     -Dexec.mainClass=io.github.reactivepubsub.samples.MmapSend -Dexec.args="--format native --file feed.dat"
 * </pre>
 *
 * <p>{@code --interval-us} pauses that many microseconds after each datagram (default 0). Blank lines are skipped.
 * Exit status: 0 at end of input, 1 on a usage error or a line that is not hex (or too long for the layout:
 * 120 bytes for rtg, capacity / 8 = 131072 bytes for native), 2 when the file cannot be created.
 */
public final class MmapSend {

    static final String USAGE = "usage: MmapSend --format rtg|native --file PATH [--interval-us N]";

    private MmapSend() {}

    /** @param args see the class documentation */
    public static void main(String[] args) {
        System.exit(run(args, System.in, System.err));
    }

    static int run(String[] args, InputStream in, PrintStream err) {
        Layout layout;
        Path file;
        long intervalNanos;
        try {
            CliArgs cli = new CliArgs(args, Set.of("format", "file", "interval-us"));
            layout = Layout.valueOf(cli.oneOf("format", "", List.of("rtg", "native")).toUpperCase());
            file = Path.of(cli.required("file"));
            intervalNanos = cli.number("interval-us", 0, 0) * 1_000;
        } catch (IllegalArgumentException e) {
            err.println(e.getMessage());
            err.println(USAGE);
            return 1;
        }
        MmapPublisher publisher;
        try {
            publisher = MmapPublisher.create(file, PublisherOptions.of(layout));
        } catch (RuntimeException e) {
            err.println("cannot create " + file + ": " + e.getMessage());
            return 2;
        }
        try (publisher; BufferedReader lines = new BufferedReader(new InputStreamReader(in, StandardCharsets.US_ASCII))) {
            int number = 0;
            for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                number++;
                if (line.isBlank()) {
                    continue;
                }
                publisher.publish(hex(line.strip(), number));
                if (intervalNanos > 0) {
                    LockSupport.parkNanos(intervalNanos);
                }
            }
            return 0;
        } catch (IllegalArgumentException e) {
            err.println(e.getMessage());
            return 1;
        } catch (IOException e) {
            err.println("cannot read standard input: " + e);
            return 2;
        }
    }

    static byte[] hex(String text, int lineNumber) {
        if (text.length() % 2 != 0) {
            throw new IllegalArgumentException("line " + lineNumber + ": odd number of hex digits in '" + text + "'");
        }
        byte[] out = new byte[text.length() / 2];
        for (int i = 0; i < out.length; i++) {
            int hi = Character.digit(text.charAt(2 * i), 16);
            int lo = Character.digit(text.charAt(2 * i + 1), 16);
            if (hi < 0 || lo < 0) {
                throw new IllegalArgumentException("line " + lineNumber + ": '" + text + "' is not hex");
            }
            out[i] = (byte) (hi << 4 | lo);
        }
        return out;
    }
}
