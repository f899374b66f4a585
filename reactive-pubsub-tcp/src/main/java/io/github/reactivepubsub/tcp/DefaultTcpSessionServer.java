package io.github.reactivepubsub.tcp;

import io.github.reactivepubsub.session.Session;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;

/**
 * The {@link TcpSessionServer} over a Reactor Netty {@link DisposableServer}, with the set of its open sessions.
 * Thread-safe: the registry is a concurrent set, written by event loops and read by any thread.
 */
final class DefaultTcpSessionServer implements TcpSessionServer {

    /** The sessions a server accepted and that are not closed yet. */
    static final class Registry {

        private final Set<Session<?, ?>> sessions = ConcurrentHashMap.newKeySet();
        private volatile boolean closed;

        void add(Session<?, ?> session) {
            sessions.add(session);
            session.onClose().onErrorResume(error -> Mono.empty())
                    .subscribe(null, null, () -> sessions.remove(session));
            if (closed) {
                session.initiateClose(); // accepted while the server was being disposed
            }
        }

        int size() {
            return sessions.size();
        }

        /** Starts closing every session; sessions added later are closed on arrival. */
        List<Mono<Void>> closeAll() {
            closed = true;
            List<Mono<Void>> closes = new ArrayList<>();
            for (Session<?, ?> session : sessions) {
                closes.add(session.close());
            }
            return closes;
        }
    }

    private final DisposableServer server;
    private final Registry registry;

    DefaultTcpSessionServer(DisposableServer server, Registry registry) {
        this.server = server;
        this.registry = registry;
    }

    @Override
    public InetSocketAddress address() {
        return (InetSocketAddress) server.address();
    }

    @Override
    public int port() {
        return server.port();
    }

    @Override
    public int activeSessions() {
        return registry.size();
    }

    @Override
    public void dispose() {
        server.dispose();
        registry.closeAll();
    }

    @Override
    public boolean isDisposed() {
        return server.isDisposed();
    }

    @Override
    public void disposeNow(Duration timeout) {
        server.dispose();
        Mono<Void> all = Mono.when(registry.closeAll()).and(server.onDispose());
        try {
            all.block(timeout);
        } catch (IllegalStateException timedOut) {
            throw new IllegalStateException("tcp session server " + address() + " did not close within " + timeout
                    + "; still open: " + registry.size() + " sessions" + (server.isDisposed() ? "" : " and the server"),
                    timedOut);
        }
    }

    @Override
    public Mono<Void> onDispose() {
        return server.onDispose().then(Mono.defer(() -> Mono.when(registry.closeAll())));
    }

    @Override
    public String toString() {
        return "TcpSessionServer[" + address() + ", " + registry.size() + " sessions"
                + (server.isDisposed() ? ", disposed" : "") + "]";
    }
}
