package io.github.reactivepubsub.samples;

import io.github.reactivepubsub.Key;
import io.github.reactivepubsub.Message;
import io.github.reactivepubsub.PublishResult;
import io.github.reactivepubsub.tcp.remote.RemoteHub;
import io.github.reactivepubsub.tcp.remote.RemoteHubOptions;
import java.time.Duration;

/**
 * A client of the {@link Broker}: publishes one UTF-8 message, or prints the messages of a pattern.
 *
 * <pre>
 * ... -Dexec.mainClass=io.github.reactivepubsub.samples.PubSubClient \
 *     -Dexec.args="--port 7400 --username u --password p subscribe 'news.**' --count 2"
 * ... -Dexec.args="--port 7400 --username u --password p publish news.tech 'héllo wörld'"
 * </pre>
 *
 * Options: {@code --port P} (default 7400), {@code --host H} (default 127.0.0.1), {@code --username U --password W},
 * and for subscribe {@code --count N} (stop after N messages; default: run until interrupted).
 */
public final class PubSubClient {

    private PubSubClient() {
    }

    public static void main(String[] argv) {
        Args args = new Args(argv);
        if (args.positional.size() < 2 || !(args.positional.get(0).equals("publish") && args.positional.size() == 3
                || args.positional.get(0).equals("subscribe") && args.positional.size() == 2)) {
            System.err.println("usage: [--host H] [--port P] [--username U --password W]"
                    + " (publish KEY TEXT | subscribe PATTERN [--count N])");
            System.exit(2);
        }
        RemoteHubOptions options = RemoteHubOptions.defaults();
        if (args.options.containsKey("username")) {
            options = options.credentials(args.get("username", ""), args.get("password", ""));
        }
        RemoteHub hub = RemoteHub.create(args.get("host", "127.0.0.1"), args.integer("port", 7400),
                Utf8Codec.INSTANCE, options);
        try {
            hub.connected().block(Duration.ofSeconds(10));
        } catch (RuntimeException e) {
            System.err.println("cannot connect: " + e.getMessage());
            hub.close();
            System.exit(1);
        }
        int exit = 0;
        if (args.positional.get(0).equals("publish")) {
            PublishResult result = hub.publish(Key.parse(args.positional.get(1)), args.positional.get(2));
            System.out.println("publish " + args.positional.get(1) + ": " + result);
            exit = result.isAccepted() ? 0 : 1;
        } else {
            int count = args.integer("count", Integer.MAX_VALUE);
            System.out.println("subscribed to " + args.positional.get(1));
            hub.<String>subscribe(Key.parse(args.positional.get(1)))
                    .take(count)
                    .doOnNext((Message<String> m) -> System.out.println(m.key() + " " + m.payload()))
                    .blockLast();
        }
        hub.close();
        hub.status().blockLast(Duration.ofSeconds(10));
        System.exit(exit);
    }
}
