package io.github.reactivepubsub.tcp;

import io.github.reactivepubsub.session.DuplexConnectionContract;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.netty.Connection;
import reactor.netty.DisposableServer;
import reactor.netty.tcp.TcpClient;
import reactor.netty.tcp.TcpServer;

/** The transport contract against {@link TcpDuplexConnection}: real sockets on loopback, this module's pipeline. */
class TcpDuplexConnectionContractTest implements DuplexConnectionContract {

    private static final TcpSessionOptions OPTIONS = TcpSessionOptions.defaults();

    private final List<DisposableServer> servers = new ArrayList<>();
    private final List<Connection> clients = new ArrayList<>();

    @Override
    public Ends connect() {
        Sinks.One<TcpDuplexConnection> accepted = Sinks.one();
        DisposableServer server = TcpServer.create().host("127.0.0.1").port(0)
                .doOnConnection(connection -> TcpPipeline.install(connection, OPTIONS))
                .handle((in, out) -> {
                    in.withConnection(connection -> accepted.tryEmitValue(
                            new TcpDuplexConnection(connection, TcpPipeline.peer(connection.channel()))));
                    return Mono.never(); // open until one end closes it
                })
                .bindNow(WAIT);
        servers.add(server);
        Connection client = TcpClient.newConnection().host("127.0.0.1").port(server.port())
                .doOnConnected(connection -> TcpPipeline.install(connection, OPTIONS))
                .connectNow(WAIT);
        clients.add(client);
        TcpDuplexConnection serverEnd = accepted.asMono().block(WAIT);
        return new Ends(new TcpDuplexConnection(client, TcpPipeline.peer(client.channel())), serverEnd);
    }

    @AfterEach
    void closeSockets() {
        clients.forEach(Connection::dispose);
        servers.forEach(server -> server.disposeNow(WAIT));
    }
}
