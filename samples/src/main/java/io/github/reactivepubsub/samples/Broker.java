package io.github.reactivepubsub.samples;

import io.github.reactivepubsub.Hub;
import io.github.reactivepubsub.HubEvent;
import io.github.reactivepubsub.tcp.remote.PubSubServer;
import io.github.reactivepubsub.tcp.remote.PubSubServerOptions;
import java.time.Duration;

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

    public static void main(String[] argv) throws InterruptedException {
        Args args = new Args(argv);
        String username = args.get("username", null);
        String password = args.get("password", null);
        if ((username == null) != (password == null)) {
            System.err.println("--username and --password go together");
            System.exit(2);
        }
        PubSubServerOptions options = username == null ? PubSubServerOptions.defaults()
                : PubSubServerOptions.defaults().credentials(username, password);
        Hub hub = Hub.create();
        hub.events().subscribe(e -> System.out.println((e instanceof HubEvent.Added ? "+ " : "- ") + e.key()
                + " (" + e.subscriberCount() + " subscribers)"));
        PubSubServer server = PubSubServer.bind(hub, Utf8Codec.INSTANCE, options, args.get("host", "127.0.0.1"),
                args.integer("port", 7400)).block(Duration.ofSeconds(10));
        System.out.println("broker listening on " + server.address()
                + (username == null ? " (no credentials)" : " (credentials required)"));
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.disposeNow(Duration.ofSeconds(5));
            hub.close();
        }));
        Thread.currentThread().join(); // until interrupted (Ctrl-C runs the shutdown hook)
    }
}
