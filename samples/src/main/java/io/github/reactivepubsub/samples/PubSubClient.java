package io.github.reactivepubsub.samples;

import io.github.reactivepubsub.Hub;
import io.github.reactivepubsub.HubEvent;
import io.github.reactivepubsub.Key;
import io.github.reactivepubsub.Message;
import io.github.reactivepubsub.PublishResult;
import io.github.reactivepubsub.codec.Codecs;
import io.github.reactivepubsub.redis.RedisHub;
import io.github.reactivepubsub.redis.RedisHubOptions;
import io.github.reactivepubsub.tcp.remote.RemoteHub;
import io.github.reactivepubsub.tcp.remote.RemoteHubOptions;
import java.io.PrintStream;
import java.time.Duration;
import java.util.List;
import java.util.Set;

/**
 * A client of the {@link Broker}, or of Redis (no broker needed): publishes one UTF-8 message, or prints the messages
 * of a pattern.
 *
 * <pre>
 * ... -Dexec.mainClass=io.github.reactivepubsub.samples.PubSubClient \
 *     -Dexec.args="--port 7400 --username u --password p subscribe 'news.**' --count 2"
 * ... -Dexec.args="--port 7400 --username u --password p publish news.tech 'héllo wörld'"
 * ... -Dexec.args="--redis redis://localhost:6379 subscribe 'news.**'"
 * ... -Dexec.args="--redis redis://localhost:6379 publish news.tech 'héllo wörld'"
 * </pre>
 *
 * Options: {@code --redis URI} (a {@code RedisHub} on that server; then no host, port or credentials), or
 * {@code --port P} (default 7400), {@code --host H} (default 127.0.0.1), {@code --username U --password W} (a
 * {@code RemoteHub} on a broker); for subscribe {@code --count N} (stop after N messages; default: run until
 * interrupted).
 */
public final class PubSubClient {

    private PubSubClient() {
    }

    static final String USAGE = "PubSubClient ([--host H] [--port P] [--username U --password W] | --redis URI)"
            + " (publish KEY TEXT | subscribe PATTERN [--count N])";

    /**
     * Runs the client and exits with its status.
     *
     * @param argv see the class notes
     */
    public static void main(String[] argv) {
        System.exit(run(argv, System.out, System.err));
    }

    /**
     * Runs the client.
     *
     * @param argv see the class notes
     * @param out where messages and results are printed
     * @param err where usage and connection errors are printed
     * @return 0 when done, 1 when a publish was not accepted or the hub could not connect, 2 for a usage error
     */
    static int run(String[] argv, PrintStream out, PrintStream err) {
        CliArgs args;
        List<String> words;
        try {
            args = new CliArgs(argv, Set.of("host", "port", "username", "password", "count", "redis"), true);
            words = args.positional();
            if (!(words.size() == 3 && words.get(0).equals("publish")
                    || words.size() == 2 && words.get(0).equals("subscribe"))) {
                throw new CliArgs.UsageException("expected 'publish KEY TEXT' or 'subscribe PATTERN', got " + words);
            }
            if (args.has("username") != args.has("password")) {
                throw new CliArgs.UsageException("--username and --password go together");
            }
            if (args.has("redis") && (args.has("host") || args.has("port") || args.has("username"))) {
                throw new CliArgs.UsageException("--redis goes without --host, --port and credentials"
                        + " (put them in the URI: redis://password@host:port)");
            }
        } catch (CliArgs.UsageException e) {
            err.println("PubSubClient: " + e.getMessage() + "\nusage: " + USAGE);
            return 2;
        }
        Hub hub;
        try {
            hub = args.has("redis") ? connectRedis(args.required("redis")) : connectBroker(args);
        } catch (RuntimeException e) {
            err.println("cannot connect: " + e.getMessage());
            return 1;
        }
        int exit = 0;
        try {
            if (words.get(0).equals("publish")) {
                PublishResult result = hub.publish(Key.parse(words.get(1)), words.get(2));
                out.println("publish " + words.get(1) + ": " + result);
                exit = result.isAccepted() ? 0 : 1;
            } else {
                long count = args.number("count", Long.MAX_VALUE, 1);
                Key pattern = Key.parse(words.get(1));
                // printed once the hub counts the subscriber: from then on, what is published reaches it
                hub.events().filter(e -> e instanceof HubEvent.Added && e.key().equals(pattern)).next()
                        .subscribe(e -> out.println("subscribed to " + pattern));
                hub.<String>subscribe(pattern)
                        .take(count)
                        .doOnNext((Message<String> m) -> out.println(m.key() + " " + m.payload()))
                        .blockLast();
            }
        } finally {
            hub.close();
            hub.status().blockLast(Duration.ofSeconds(10));
        }
        return exit;
    }

    private static Hub connectBroker(CliArgs args) {
        RemoteHubOptions options = RemoteHubOptions.defaults();
        if (args.has("username")) {
            options = options.credentials(args.required("username"), args.required("password"));
        }
        RemoteHub hub = RemoteHub.create(args.optional("host", "127.0.0.1"), (int) args.number("port", 7400, 1),
                Codecs.utf8(), options);
        try {
            hub.connected().block(Duration.ofSeconds(10));
        } catch (RuntimeException e) {
            hub.close();
            throw e;
        }
        return hub;
    }

    private static Hub connectRedis(String uri) {
        RedisHub hub = RedisHub.create(uri, Codecs.utf8(), RedisHubOptions.defaults());
        try {
            hub.connected().timeout(Duration.ofSeconds(10)).block();
        } catch (RuntimeException e) {
            hub.close();
            throw new IllegalStateException("no Redis at " + uri + " within 10 s", e);
        }
        return hub;
    }
}
