package io.github.reactivepubsub.samples.web;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;
import java.util.stream.Stream;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * The Debian {@code chromium} binary, headless, driven over the Chrome DevTools Protocol with the JDK's HTTP client
 * and WebSocket: open a page, evaluate JavaScript in it, take a screenshot. No browser download, no Selenium.
 * One page per instance; not thread-safe. {@link #close()} ends the browser process and its children and deletes
 * the throw-away profile.
 */
final class HeadlessChromium implements AutoCloseable {

    /** Where Debian installs the browser; {@code -Dchromium.binary=...} overrides. */
    static final Path BINARY = Path.of(System.getProperty("chromium.binary", "/usr/bin/chromium"));

    private static final Duration STARTUP = Duration.ofSeconds(30);
    private static final Duration CALL_TIMEOUT = Duration.ofSeconds(15);
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final Process process;
    private final Path profile;
    private final WebSocket socket;
    private final Map<Long, CompletableFuture<JsonNode>> pending = new ConcurrentHashMap<>();
    private final AtomicLong ids = new AtomicLong();

    private HeadlessChromium(Process process, Path profile, WebSocket.Builder sockets, URI page)
            throws InterruptedException, ExecutionException, TimeoutException {
        this.process = process;
        this.profile = profile;
        this.socket = sockets.buildAsync(page, new Listener()).get(CALL_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
    }

    /** @return whether the browser binary is installed */
    static boolean available() {
        return Files.isExecutable(BINARY);
    }

    /**
     * Starts the browser on a page.
     *
     * @param url the page
     * @param width viewport width
     * @param height viewport height
     * @param log where the browser's own output goes
     * @return the browser, connected to the page's DevTools target
     * @throws IOException when the browser cannot be started or does not open its DevTools port in time
     */
    static HeadlessChromium open(String url, int width, int height, Path log) throws IOException, InterruptedException {
        Path profile = Files.createTempDirectory("chromium-profile-");
        Process process = new ProcessBuilder(BINARY.toString(), "--headless", "--no-sandbox", "--disable-gpu",
                "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--hide-scrollbars", "--user-data-dir=" + profile,
                "--remote-debugging-address=127.0.0.1", "--remote-debugging-port=0",
                "--window-size=" + width + "," + height, url)
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        try {
            HttpClient http = HttpClient.newBuilder().connectTimeout(CALL_TIMEOUT).build();
            URI page = pageTarget(http, devToolsPort(process, profile, log));
            return new HeadlessChromium(process, profile, http.newWebSocketBuilder(), page);
        } catch (IOException | InterruptedException | RuntimeException e) {
            stop(process, profile);
            throw e;
        } catch (ExecutionException | TimeoutException e) {
            stop(process, profile);
            throw new IOException("could not connect to chromium's DevTools page target", e);
        }
    }

    /** Chromium writes the port it chose into {@code DevToolsActivePort} in its profile. */
    private static int devToolsPort(Process process, Path profile, Path log) throws IOException, InterruptedException {
        Path portFile = profile.resolve("DevToolsActivePort");
        long deadline = System.nanoTime() + STARTUP.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IOException("chromium exited with " + process.exitValue() + " before opening DevTools; see "
                        + log.toAbsolutePath());
            }
            if (Files.exists(portFile)) {
                List<String> lines = Files.readAllLines(portFile);
                if (!lines.isEmpty() && !lines.get(0).isBlank()) {
                    return Integer.parseInt(lines.get(0).trim());
                }
            }
            Thread.sleep(50); // polling a real process's start-up, bounded
        }
        throw new IOException("chromium did not open its DevTools port within " + STARTUP + "; see "
                + log.toAbsolutePath());
    }

    private static URI pageTarget(HttpClient http, int port) throws IOException, InterruptedException {
        HttpRequest list = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/json/list"))
                .timeout(CALL_TIMEOUT).build();
        long deadline = System.nanoTime() + STARTUP.toNanos();
        while (System.nanoTime() < deadline) {
            JsonNode targets = JSON.readTree(http.send(list, HttpResponse.BodyHandlers.ofString()).body());
            for (JsonNode target : targets) {
                if ("page".equals(target.path("type").asString()) && target.has("webSocketDebuggerUrl")) {
                    return URI.create(target.get("webSocketDebuggerUrl").asString());
                }
            }
            Thread.sleep(50);
        }
        throw new IOException("chromium on DevTools port " + port + " listed no page target within " + STARTUP);
    }

    /**
     * Calls a DevTools method on the page.
     *
     * @param method e.g. {@code Runtime.evaluate}
     * @param params its parameters
     * @return the {@code result} object
     * @throws IOException when the browser answers with an error or not in time
     */
    JsonNode call(String method, ObjectNode params) throws IOException, InterruptedException {
        long id = ids.incrementAndGet();
        CompletableFuture<JsonNode> answer = new CompletableFuture<>();
        pending.put(id, answer);
        ObjectNode request = JSON.createObjectNode().put("id", id).put("method", method);
        request.set("params", params);
        socket.sendText(JSON.writeValueAsString(request), true);
        try {
            JsonNode response = answer.get(CALL_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            if (response.has("error")) {
                throw new IOException(method + " failed: " + response.get("error"));
            }
            return response.get("result");
        } catch (ExecutionException | TimeoutException e) {
            throw new IOException(method + " got no answer within " + CALL_TIMEOUT, e);
        } finally {
            pending.remove(id);
        }
    }

    /**
     * @param expression JavaScript evaluated in the page; it must produce a string (e.g. {@code JSON.stringify(...)})
     * @return the string, parsed as JSON
     * @throws IOException when the expression throws or does not produce a string
     */
    JsonNode evaluateJson(String expression) throws IOException, InterruptedException {
        JsonNode result = call("Runtime.evaluate",
                JSON.createObjectNode().put("expression", expression).put("returnByValue", true));
        if (result.has("exceptionDetails")) {
            throw new IOException("page script failed: " + result.get("exceptionDetails"));
        }
        JsonNode value = result.path("result").path("value");
        if (!value.isString()) {
            throw new IOException("page script returned " + result.get("result") + ", expected a JSON string");
        }
        return JSON.readTree(value.asString());
    }

    /**
     * Evaluates {@code expression} until its value satisfies {@code until}, every 100 ms.
     *
     * @return the first value that satisfied it
     * @throws AssertionError with the last value when the time is up
     */
    JsonNode awaitJson(String expression, Predicate<JsonNode> until, Duration timeout)
            throws IOException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        JsonNode last;
        do {
            last = evaluateJson(expression);
            if (until.test(last)) {
                return last;
            }
            Thread.sleep(100); // polling a real page, bounded
        } while (System.nanoTime() < deadline);
        throw new AssertionError("page did not reach the expected state within " + timeout + "; last state: " + last);
    }

    /**
     * Writes a PNG of the viewport.
     *
     * @param file where
     */
    void screenshot(Path file) throws IOException, InterruptedException {
        JsonNode shot = call("Page.captureScreenshot", JSON.createObjectNode().put("format", "png"));
        Files.createDirectories(file.toAbsolutePath().getParent());
        Files.write(file, Base64.getDecoder().decode(shot.get("data").asString()));
    }

    @Override
    public void close() {
        socket.abort();
        stop(process, profile);
    }

    private static void stop(Process process, Path profile) {
        List<ProcessHandle> children = new ArrayList<>(process.descendants().toList());
        process.destroy();
        children.forEach(ProcessHandle::destroy);
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                children.forEach(ProcessHandle::destroyForcibly);
                process.waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try (Stream<Path> files = Files.walk(profile)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException | UncheckedIOException e) {
            // a leftover temp profile is harmless
        }
    }

    /** Collects each text message (possibly in parts) and completes the call waiting for its id. */
    private final class Listener implements WebSocket.Listener {
        private StringBuilder message = new StringBuilder();

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            message.append(data);
            if (last) {
                JsonNode node = JSON.readTree(message.toString());
                message = new StringBuilder();
                if (node.has("id")) {
                    CompletableFuture<JsonNode> call = pending.get(node.get("id").asLong());
                    if (call != null) {
                        call.complete(node);
                    }
                }
            }
            webSocket.request(1);
            return null;
        }

        @Override
        public void onError(WebSocket webSocket, Throwable error) {
            pending.values().forEach(call -> call.completeExceptionally(error));
        }
    }
}
