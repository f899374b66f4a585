package io.github.reactivepubsub.samples;

import io.github.reactivepubsub.tcp.soup.Authenticator;
import io.github.reactivepubsub.tcp.soup.SoupBinTcpServer;
import io.github.reactivepubsub.tcp.soup.SoupServerOptions;
import io.github.reactivepubsub.tcp.soup.SoupSession;
import java.util.List;
import java.util.Set;

/**
 * A SoupBinTCP 3.00 server for one login and one session, pre-filled with {@code N} messages {@code msg-1} …
 * {@code msg-N}; every unsequenced message a client sends is appended as a new sequenced message
 * {@code echo:<payload>}. Logins, rejections and closes are logged. Runs until killed.
 *
 * <p>Run: {@code mvn -q -pl samples -am compile exec:java -Dexec.mainClass=io.github.reactivepubsub.samples.SoupServer
 * -Dexec.args="--port 7000 --username ABC --password secret --session SESS1 --messages 5"}
 */
public final class SoupServer {

    static final String USAGE = "SoupServer --port P --username U --password W --session S --messages N";

    private SoupServer() {
    }

    /**
     * Runs the server.
     *
     * @param args {@code --port P --username U --password W --session S --messages N}
     */
    public static void main(String[] args) {
        CliArgs cli;
        try {
            cli = new CliArgs(args, Set.of("port", "username", "password", "session", "messages"));
            for (String name : List.of("port", "username", "password", "session", "messages")) {
                cli.required(name);
            }
        } catch (CliArgs.UsageException e) {
            System.err.println("SoupServer: " + e.getMessage() + "\nusage: " + USAGE);
            System.exit(SoupClient.EXIT_USAGE);
            return;
        }
        start(cli);
    }

    private static void start(CliArgs cli) {
        int port = (int) cli.number("port", 0, 0);
        long messages = cli.number("messages", 0, 0);
        SoupBinTcpServer server = SoupBinTcpServer.bindNow(port, SoupServerOptions.defaults()
                .authenticator(Authenticator.of(cli.required("username"), cli.required("password"))));
        SoupSession session = server.createSession(cli.required("session"));
        for (long i = 1; i <= messages; i++) {
            session.publish("msg-" + i);
        }
        server.unsequenced().subscribe(m -> {
            SoupSession target = server.session(m.session());
            if (target != null) {
                long seq = target.publish("echo:" + m.payloadAsString());
                System.out.println("SoupServer: unsequenced '" + m.payloadAsString() + "' from " + m.username()
                        + " appended as sequence " + seq);
            }
        });
        System.out.println("SoupServer: listening on port " + server.port() + ", session " + session.name() + " with "
                + messages + " messages");
        Runtime.getRuntime().addShutdownHook(new Thread(server::disposeNow, "soup-server-shutdown"));
        server.onDispose().block();
    }
}
