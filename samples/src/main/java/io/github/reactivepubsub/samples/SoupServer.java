package io.github.reactivepubsub.samples;

import io.github.reactivepubsub.tcp.soup.Authenticator;
import io.github.reactivepubsub.tcp.soup.SoupBinTcpServer;
import io.github.reactivepubsub.tcp.soup.SoupServerOptions;
import io.github.reactivepubsub.tcp.soup.SoupSession;
import io.github.reactivepubsub.tcp.soup.UnsequencedMessage;
import java.io.PrintStream;
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
        SoupBinTcpServer server = start((int) cli.number("port", 0, 0), cli.required("username"),
                cli.required("password"), cli.required("session"), cli.number("messages", 0, 0), System.out);
        Runtime.getRuntime().addShutdownHook(new Thread(server::disposeNow, "soup-server-shutdown"));
        server.onDispose().block();
    }

    /**
     * Binds the server, fills the session and starts echoing.
     *
     * @param log where the server's lines go
     * @return the bound server (the caller disposes it)
     */
    static SoupBinTcpServer start(int port, String username, String password, String sessionName, long messages,
            PrintStream log) {
        SoupBinTcpServer server = SoupBinTcpServer.bindNow(port, SoupServerOptions.defaults()
                .authenticator(Authenticator.of(username, password)));
        SoupSession session = server.createSession(sessionName);
        for (long i = 1; i <= messages; i++) {
            session.publish("msg-" + i);
        }
        // One message that cannot be echoed (e.g. "echo:" + payload over the packet limit) fails alone: it is logged
        // and the echo goes on for every client. The error handler keeps an unexpected failure from ending silently.
        server.unsequenced().subscribe(m -> echo(server, m, log),
                error -> log.println("SoupServer: the echo stopped: " + error));
        log.println("SoupServer: listening on port " + server.port() + ", session " + session.name() + " with "
                + messages + " messages");
        return server;
    }

    /** Appends {@code echo:<payload>} to the client's session, or logs why that message cannot be echoed. */
    static void echo(SoupBinTcpServer server, UnsequencedMessage m, PrintStream log) {
        SoupSession target = server.session(m.session());
        if (target == null) {
            log.println("SoupServer: no session for " + m + "; not echoed");
            return;
        }
        try {
            long seq = target.publish("echo:" + m.payloadAsString());
            log.println("SoupServer: " + m + " appended as sequence " + seq);
        } catch (IllegalArgumentException | IllegalStateException e) {
            log.println("SoupServer: " + m + " not echoed: " + e.getMessage());
        }
    }
}
