package io.github.reactivepubsub.samples;

import io.github.reactivepubsub.SubscribeOptions;
import io.github.reactivepubsub.mmap.Datagram;
import io.github.reactivepubsub.mmap.FeedFileException;
import io.github.reactivepubsub.mmap.Layout;
import io.github.reactivepubsub.mmap.MmapSubscriber;
import io.github.reactivepubsub.mmap.ReaderOptions;
import io.github.reactivepubsub.mmap.StartPosition;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;

/**
 * Tails a shared-memory feed: waits for the file to exist, prints each datagram's payload as lowercase hex, one
 * per line, and exits after {@code N} datagrams.
 *
 * <pre>
 * mvn -q -pl samples -am compile exec:java -Dexec.mainClass=io.github.reactivepubsub.samples.MmapTail \
 *     -Dexec.args="--format rtg --file info.dat --count 10 --from start --timeout 30"
 * </pre>
 *
 * <p>{@code --from} defaults to the layout's own start ({@code start} for rtg: slot 0, like Ready Trader Go's
 * subscriber; {@code latest} for native). {@code --timeout} (default 30 s) bounds the whole run: waiting for the
 * file and for the datagrams. Exit status: 0 after N datagrams, 1 on a usage error, 2 on timeout, a feed error, or a native feed
 * closed by its publisher before N datagrams.
 */
public final class MmapTail {

    static final String USAGE = "usage: MmapTail --format rtg|native --file PATH --count N [--from start|latest]"
            + " [--timeout SECONDS]";

    private MmapTail() {}

    /** @param args see the class documentation */
    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    static int run(String[] args, PrintStream out, PrintStream err) {
        Layout layout;
        Path file;
        long count;
        Duration timeout;
        StartPosition from;
        try {
            CliArgs cli = new CliArgs(args, Set.of("format", "file", "count", "from", "timeout"));
            layout = Layout.valueOf(cli.oneOf("format", "", List.of("rtg", "native")).toUpperCase());
            file = Path.of(cli.required("file"));
            count = cli.number("count", -1, 1);
            timeout = Duration.ofSeconds(cli.number("timeout", 30, 1));
            String defaultFrom = layout == Layout.RTG ? "start" : "latest";
            from = StartPosition.valueOf(cli.oneOf("from", defaultFrom, List.of("start", "latest")).toUpperCase());
        } catch (IllegalArgumentException e) {
            err.println(e.getMessage());
            err.println(USAGE);
            return 1;
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        try (MmapSubscriber feed = MmapSubscriber.open(file,
                ReaderOptions.of(layout).start(from).openTimeout(timeout))) {
            Duration left = Duration.ofNanos(Math.max(1, deadline - System.nanoTime()));
            Iterable<String> lines = feed.datagrams(SubscribeOptions.defaults().bufferSize(1 << 16))
                    .map(Datagram::toHex)
                    .take(count)
                    .timeout(left)
                    .toIterable();
            long printed = 0;
            for (String line : lines) {
                out.println(line);
                printed++;
            }
            out.flush();
            if (printed < count) {
                err.println("feed ended (publisher closed) after " + printed + " of " + count + " datagrams");
                return 2;
            }
            return 0;
        } catch (FeedFileException e) {
            err.println(e.getMessage());
            return 2;
        } catch (RuntimeException e) {
            err.println("MmapTail stopped: " + e);
            return 2;
        }
    }
}
