package io.github.reactivepubsub.samples;

import io.github.reactivepubsub.session.IdleTimeoutException;
import io.github.reactivepubsub.tcp.soup.LoginRejectedException;
import io.github.reactivepubsub.tcp.soup.SoupBinTcpClient;
import io.github.reactivepubsub.tcp.soup.SoupClientOptions;
import io.github.reactivepubsub.tcp.soup.SoupLogin;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A SoupBinTCP 3.00 client: logs in to {@code localhost:P}, prints {@code <sequence> <payload as text>} for each
 * sequenced message, sends {@code TEXT} as unsequenced data once logged in (if given), and exits 0 after {@code N}
 * messages (after a Logout). Exits 1 when the login is rejected, 2 on a timeout (no login reply, or a silent
 * server), 3 when the connection is lost or the stream ends early, 64 for a bad command line; the reason goes to
 * standard error.
 *
 * <p>Run: {@code mvn -q -pl samples -am compile exec:java -Dexec.mainClass=io.github.reactivepubsub.samples.SoupClient
 * -Dexec.args="--port 7000 --username ABC --password secret --session SESS1 --sequence 1 --count 6 --send hello"}
 */
public final class SoupClient {

    /** Exit status for a command line that cannot be used (as sysexits' EX_USAGE). */
    static final int EXIT_USAGE = 64;

    static final String USAGE =
            "SoupClient --port P --username U --password W [--session S] --sequence K --count N [--send TEXT]";

    /** Messages tolerated between our Logout and the server's close before the client stops reading. */
    private static final long LOGOUT_GRACE_MESSAGES = 10_000;

    private SoupClient() {
    }

    /**
     * Runs the client.
     *
     * @param args {@code --port P --username U --password W [--session S] --sequence K --count N [--send TEXT]}
     */
    public static void main(String[] args) {
        System.exit(run(args));
    }

    static int run(String[] args) {
        CliArgs cli;
        SoupLogin login;
        long count;
        int port;
        try {
            cli = new CliArgs(args, Set.of("port", "username", "password", "session", "sequence", "count", "send"));
            for (String name : List.of("port", "username", "password", "sequence", "count")) {
                cli.required(name);
            }
            port = (int) cli.number("port", 0, 1);
            count = cli.number("count", 0, 1);
            login = new SoupLogin(cli.required("username"), cli.required("password"), cli.optional("session", ""),
                    cli.number("sequence", 0, 0));
        } catch (IllegalArgumentException e) {
            System.err.println("SoupClient: " + e.getMessage() + "\nusage: " + USAGE);
            return EXIT_USAGE;
        }
        SoupBinTcpClient client = SoupBinTcpClient.create("localhost", port, login, SoupClientOptions.defaults());
        String send = cli.optional("send", "");
        if (!send.isEmpty()) {
            client.send(send).subscribe(null,
                    e -> System.err.println("SoupClient: could not send: " + e.getMessage()));
        }
        try {
            AtomicLong received = new AtomicLong();
            // after N messages: Logout, then the server closes and the stream completes
            client.messages()
                    .doOnNext(m -> {
                        long n = received.incrementAndGet();
                        if (n <= count) {
                            System.out.println(m.sequence() + " " + m.payloadAsString());
                        }
                        if (n == count) {
                            client.logout().subscribe(null, e -> { });
                        }
                    })
                    .takeUntil(m -> received.get() >= count + LOGOUT_GRACE_MESSAGES)
                    .then()
                    .block(Duration.ofDays(1));
            if (received.get() < count) {
                System.err.println("SoupClient: the session ended after " + received.get() + " of " + count
                        + " messages");
                return 3;
            }
            return 0;
        } catch (LoginRejectedException e) {
            System.err.println("SoupClient: " + e.getMessage());
            return 1;
        } catch (RuntimeException e) {
            Throwable cause = e.getCause() instanceof TimeoutException ? e.getCause() : e;
            if (cause instanceof TimeoutException || cause instanceof IdleTimeoutException) {
                System.err.println("SoupClient: timeout: " + cause.getMessage());
                return 2;
            }
            System.err.println("SoupClient: " + cause.getMessage());
            return 3;
        }
    }
}
