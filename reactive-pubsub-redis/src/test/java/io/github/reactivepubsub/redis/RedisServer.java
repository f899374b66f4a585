package io.github.reactivepubsub.redis;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A JUnit 5 extension running real {@code redis-server} processes on free loopback ports, each in a temporary
 * directory with persistence off ({@code --save "" --appendonly no}); stopped (and the directory deleted) after the
 * test class. {@link #standalone()} runs one server; {@link #cluster(int)} runs a Redis Cluster of masters joined with
 * {@code redis-cli --cluster create}.
 *
 * <pre>{@code
 * @RegisterExtension
 * static final RedisServer REDIS = RedisServer.standalone();
 * ... RedisHub.create(REDIS.uri(), Codecs.utf8(), RedisHubOptions.defaults()) ...
 * }</pre>
 *
 * <p>Without {@code redis-server} on the {@code PATH} the test class is skipped with the reason, except when the
 * environment variable {@code CI} is {@code true}: then it fails, so CI never skips Redis tests silently.
 */
public final class RedisServer implements BeforeAllCallback, AfterAllCallback {

    private static final Duration START_TIMEOUT = Duration.ofSeconds(20);

    private final int nodes;
    private final boolean cluster;
    private final List<Node> running = new ArrayList<>();
    private Path dir;

    private RedisServer(int nodes, boolean cluster) {
        this.nodes = nodes;
        this.cluster = cluster;
    }

    /** @return an extension running one server */
    public static RedisServer standalone() {
        return new RedisServer(1, false);
    }

    /**
     * @param masters how many masters (3 at least, for {@code redis-cli --cluster create})
     * @return an extension running a cluster of that many masters, no replicas
     */
    public static RedisServer cluster(int masters) {
        return new RedisServer(masters, true);
    }

    /** One {@code redis-server} process. */
    private static final class Node {
        final int port;
        final Path dir;
        Process process;

        Node(int port, Path dir) {
            this.port = port;
            this.dir = dir;
        }
    }

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        start();
    }

    @Override
    public void afterAll(ExtensionContext context) {
        stop();
    }

    /**
     * Starts the servers (and joins the cluster); the extension calls it before the test class.
     *
     * @throws IOException when a server cannot be started
     */
    public void start() throws IOException {
        requireBinary("redis-server");
        if (cluster) {
            requireBinary("redis-cli");
        }
        dir = Files.createTempDirectory("redis-test");
        for (int i = 0; i < nodes; i++) {
            Path nodeDir = Files.createDirectories(dir.resolve("node" + i));
            Node node = new Node(freePort(cluster), nodeDir);
            running.add(node);
            launch(node);
        }
        for (Node node : running) {
            awaitPing(node);
        }
        if (cluster) {
            List<String> args = new ArrayList<>(List.of("--cluster", "create"));
            for (Node node : running) {
                args.add("127.0.0.1:" + node.port);
            }
            args.addAll(List.of("--cluster-replicas", "0", "--cluster-yes"));
            String out = cli(running.get(0).port, args.toArray(new String[0]));
            for (Node node : running) {
                await(() -> cli(node.port, "CLUSTER", "INFO").contains("cluster_state:ok"),
                        "cluster_state:ok on node " + node.port + " after: " + out);
            }
        }
    }

    /** Stops every server and deletes their directory; the extension calls it after the test class. */
    public void stop() {
        for (Node node : running) {
            if (node.process != null) {
                node.process.destroyForcibly();
                try {
                    node.process.waitFor(10, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }
        running.clear();
        if (dir != null) {
            try (Stream<Path> files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            } catch (IOException e) {
                // a temporary directory left behind is no failure
            }
        }
    }

    /** @return the (first) server's URI, {@code redis://127.0.0.1:<port>} */
    public String uri() {
        return "redis://127.0.0.1:" + port();
    }

    /** @return the (first) server's port */
    public int port() {
        return running.get(0).port;
    }

    /** @return every node's URI (one for a standalone server) */
    public List<String> uris() {
        return running.stream().map(n -> "redis://127.0.0.1:" + n.port).toList();
    }

    /** Kills the (first) server at once (SIGKILL): its clients see the connection drop. */
    public void kill() {
        Node node = running.get(0);
        node.process.destroyForcibly();
        try {
            if (!node.process.waitFor(10, TimeUnit.SECONDS)) {
                throw new IllegalStateException("redis-server on port " + node.port + " did not die");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /**
     * Starts the (first) server again on the same port, after {@link #kill()}; empty (persistence is off).
     *
     * @throws IOException when it cannot be started
     */
    public void restart() throws IOException {
        Node node = running.get(0);
        launch(node);
        awaitPing(node);
    }

    /**
     * Runs {@code redis-cli -p <port> <args>} against the (first) server and returns its output.
     *
     * @param args the command and its arguments
     * @return what redis-cli printed
     */
    public String cli(String... args) {
        return cli(port(), args);
    }

    /**
     * Starts {@code redis-cli -p <port> <args>} and returns it running (for {@code SUBSCRIBE}, which does not end):
     * the caller reads its output and destroys it.
     *
     * @param args the command and its arguments
     * @return the process
     * @throws IOException when it cannot be started
     */
    public Process startCli(String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of("redis-cli", "-h", "127.0.0.1", "-p",
                Integer.toString(port())));
        command.addAll(List.of(args));
        return new ProcessBuilder(command).redirectErrorStream(true).start();
    }

    private static String cli(int port, String... args) {
        List<String> command = new ArrayList<>(List.of("redis-cli", "-h", "127.0.0.1", "-p", Integer.toString(port)));
        command.addAll(List.of(args));
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException("redis-cli " + args[0] + " did not finish");
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private void launch(Node node) throws IOException {
        List<String> command = new ArrayList<>(List.of("redis-server",
                "--port", Integer.toString(node.port), "--bind", "127.0.0.1",
                "--save", "", "--appendonly", "no", "--dir", node.dir.toString(),
                "--logfile", node.dir.resolve("redis.log").toString()));
        if (cluster) {
            command.addAll(List.of("--cluster-enabled", "yes", "--cluster-config-file",
                    node.dir.resolve("nodes.conf").toString(), "--cluster-node-timeout", "5000"));
        }
        node.process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(node.dir.resolve("stdout.log").toFile()).start();
    }

    private static void awaitPing(Node node) {
        await(() -> ping(node.port), "redis-server answering PING on port " + node.port
                + (node.process.isAlive() ? "" : " (it exited with " + node.process.exitValue() + "; see "
                + node.dir.resolve("redis.log") + ")"));
    }

    private static boolean ping(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 500);
            OutputStream out = socket.getOutputStream();
            out.write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            byte[] reply = new byte[7];
            int n = in.readNBytes(reply, 0, 7);
            return n == 7 && new String(reply, StandardCharsets.US_ASCII).equals("+PONG\r\n");
        } catch (IOException e) {
            return false;
        }
    }

    /** Bounded polling of a condition (not a sleep to let time pass): every 10 ms for at most 20 s. */
    private static void await(BooleanSupplier condition, String what) {
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("timed out waiting for " + what);
            }
            LockSupport.parkNanos(10_000_000);
        }
    }

    /** A free loopback port; for a cluster node, one whose bus port (+10000) is free too. */
    private static int freePort(boolean withBus) throws IOException {
        if (!withBus) {
            try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
                return socket.getLocalPort();
            }
        }
        for (int attempt = 0; attempt < 100; attempt++) {
            // below the usual ephemeral range, so that port + 10000 (the cluster bus) is a valid port too
            int port = 20_000 + java.util.concurrent.ThreadLocalRandom.current().nextInt(10_000);
            try (ServerSocket socket = new ServerSocket(port, 1, InetAddress.getLoopbackAddress());
                    ServerSocket bus = new ServerSocket(port + 10_000, 1, InetAddress.getLoopbackAddress())) {
                return port;
            } catch (IOException busy) {
                // try another
            }
        }
        throw new IOException("no free loopback port pair for a cluster node");
    }

    private static void requireBinary(String binary) {
        boolean found = Stream.of(System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator))
                .anyMatch(d -> Files.isExecutable(Path.of(d, binary)));
        if (found) {
            return;
        }
        String reason = binary + " is not installed (not on the PATH): install Debian's redis-server package"
                + " (apt-get install -y redis-server) to run the Redis tests";
        if ("true".equalsIgnoreCase(System.getenv("CI"))) {
            throw new IllegalStateException(reason + "; CI=true, so this fails instead of skipping");
        }
        Assumptions.assumeTrue(false, reason);
    }
}
