package io.github.reactivepubsub.session;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.function.Consumer;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Closes what a test opened (servers, clients, hubs, sessions), the last opened first, after each test: register it
 * with {@code @RegisterExtension final Closer closer = new Closer();} and wrap each resource as it is created. Every
 * close runs even when an earlier one fails; the first failure is rethrown with the others suppressed. Closing twice
 * is left to the resources, whose closes are idempotent.
 *
 * <pre>{@code
 * server = closer.add(PubSubServer.bind(hub, codec, options, "127.0.0.1", 0).block(WAIT), s -> s.disposeNow(WAIT));
 * }</pre>
 *
 * <p>Not thread-safe: register from the test thread.
 */
public final class Closer implements AfterEachCallback {

    private final Deque<Runnable> closes = new ArrayDeque<>();

    /**
     * @param resource what was just opened
     * @param close how to close it (blocking until closed, where the resource offers that)
     * @param <T> its type
     * @return {@code resource}
     */
    public <T> T add(T resource, Consumer<? super T> close) {
        closes.push(() -> close.accept(resource));
        return resource;
    }

    @Override
    public void afterEach(ExtensionContext context) {
        RuntimeException failure = null;
        while (!closes.isEmpty()) {
            try {
                closes.pop().run();
            } catch (RuntimeException e) {
                if (failure == null) {
                    failure = e;
                } else {
                    failure.addSuppressed(e);
                }
            }
        }
        if (failure != null) {
            throw failure;
        }
    }
}
