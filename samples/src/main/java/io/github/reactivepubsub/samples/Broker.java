package io.github.reactivepubsub.samples;

import io.github.reactivepubsub.Hub;
import io.github.reactivepubsub.HubEvent;
import io.github.reactivepubsub.codec.Codecs;
import io.github.reactivepubsub.tcp.broker.PubSubServer;
import io.github.reactivepubsub.tcp.broker.PubSubServerOptions;
import java.time.Duration;
import java.util.Set;

/**
 * A pub/sub broker: an in-process hub exposed over TCP with UTF-8 payloads, logging subscriber changes.
 *
 * <pre>
 * mvn -q -pl samples -am compile exec:java -Dexec.mainClass=io.github.reactivepubsub.samples.Broker \
 *     -Dexec.args="--port 7400 --username u --password p"
 * </pre>
 *
 * Options: {@code --port P} (default 7400), {@code --host H} (default 127.0.0.1), {@code --username U --password W}
 * (default: anyone may connect). Runs until interrupted.
 */
public final class Broker {

    private Broker() {
    }

    static final String USAGE = "Broker [--host H] [--port P] [--username U --password W]";

    /**
     * Runs the broker until interrupted.
     *
     * @param argv see the class notes
     * @throws InterruptedException when interrupted while serving
     */
    public static void main(String[] argv) throws InterruptedException {
        CliArgs args;
        try {
            args = new CliArgs(argv, Set.of("host", "port", "username", "password"));
            if (args.has("username") != args.has("password")) {
                throw new CliArgs.UsageException("--username and --password go together");
            }
        } catch (CliArgs.UsageException e) {
            System.err.println("Broker: " + e.getMessage() + "\nusage: " + USAGE);
            System.exit(2);
            return;
        }
        String username = args.optional("username", null);
        String password = args.optional("password", null);
        PubSubServerOptions options = username == null ? PubSubServerOptions.defaults()
                : PubSubServerOptions.defaults().credentials(username, password);
        Hub hub = Hub.create();
        hub.events().subscribe(e -> System.out.println((e instanceof HubEvent.Added ? "+ " : "- ") + e.key()
                + " (" + e.subscriberCount() + " subscribers)"));
        PubSubServer server = PubSubServer.bind(hub, Codecs.utf8(), options, args.optional("host", "127.0.0.1"),
                (int) args.number("port", 7400, 1)).block(Duration.ofSeconds(10));
        System.out.println("broker listening on " + server.address()
                + (username == null ? " (no credentials)" : " (credentials required)"));
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.disposeNow(Duration.ofSeconds(5));
            hub.close();
        }));
        Thread.currentThread().join(); // until interrupted (Ctrl-C runs the shutdown hook)
    }
}
