package io.github.reactivepubsub.tcp.remote;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.reactivepubsub.ConnectionStatus;
import io.github.reactivepubsub.Hub;
import io.github.reactivepubsub.Key;
import io.github.reactivepubsub.Message;
import io.github.reactivepubsub.codec.Codecs;
import io.github.reactivepubsub.session.Await;
import io.github.reactivepubsub.session.Closer;
import io.github.reactivepubsub.tcp.SelfSignedCertificate;
import io.github.reactivepubsub.tcp.broker.PubSubServer;
import io.github.reactivepubsub.tcp.broker.PubSubServerOptions;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslHandler;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import reactor.netty.Connection;
import reactor.netty.tcp.TcpClient;
import reactor.netty.tcp.TcpServer;
import reactor.test.StepVerifier;

/**
 * TLS through the escape hatch: the broker binds a {@code TcpServer.secure(...)}, the client connects a
 * {@code TcpClient.secure(...)}; the self-signed certificate is made by the JDK's {@code keytool}.
 */
class RemoteHubTlsTest {

    private static final Duration WAIT = Duration.ofSeconds(20);

    private static SelfSignedCertificate certificate;

    @RegisterExtension
    final Closer closer = new Closer();

    private final Hub brokerHub = closer.add(Hub.create(), Hub::close);
    private PubSubServer server;
    private RemoteHub hub;

    @BeforeAll
    static void makeSelfSignedCertificate(@TempDir Path dir) throws Exception {
        certificate = SelfSignedCertificate.generate(dir);
    }

    @Test
    void aRemoteHubWorksOverTlsConfiguredOnThePreConfiguredServerAndClient() throws Exception {
        SslContext serverTls = certificate.serverContext();
        server = PubSubServer.bind(brokerHub, Codecs.utf8(), PubSubServerOptions.defaults().credentials("u", "p"),
                TcpServer.create().host("127.0.0.1").port(0).secure(tls -> tls.sslContext(serverTls))).block(WAIT);
        closer.add(server, s -> s.disposeNow(WAIT));
        SslContext clientTls = certificate.trustingClientContext();
        AtomicReference<Connection> connection = new AtomicReference<>();
        hub = RemoteHub.create(TcpClient.newConnection().host("127.0.0.1").port(server.port())
                        .secure(tls -> tls.sslContext(clientTls)).doOnConnected(connection::set),
                Codecs.utf8(), RemoteHubOptions.defaults().credentials("u", "p"));
        closer.add(hub, RemoteHub::close);
        hub.connected().block(WAIT);

        StepVerifier.create(hub.<String>subscribe("tls.k").map(Message::payload).take(1))
                .then(() -> {
                    Await.until(WAIT, () -> brokerHub.subscriberCount(Key.parse("tls.k")) == 1, () -> "subscribed");
                    hub.publish("tls.k", "secret");
                })
                .expectNext("secret").expectComplete().verify(WAIT);
        SslHandler tls = connection.get().channel().pipeline().get(SslHandler.class);
        assertThat(tls).as("TLS handler in the client's pipeline").isNotNull();
        assertThat(tls.engine().getSession().getProtocol()).isIn("TLSv1.2", "TLSv1.3");
    }

    @Test
    void aClientThatDoesNotTrustTheBrokerNeverConnectsAndKeepsRetrying() throws Exception {
        SslContext serverTls = certificate.serverContext();
        server = PubSubServer.bind(brokerHub, Codecs.utf8(), PubSubServerOptions.defaults(),
                TcpServer.create().host("127.0.0.1").port(0).secure(tls -> tls.sslContext(serverTls))).block(WAIT);
        closer.add(server, s -> s.disposeNow(WAIT));
        SslContext defaultTrust = SslContextBuilder.forClient().build();
        hub = RemoteHub.create(TcpClient.newConnection().host("127.0.0.1").port(server.port())
                        .secure(tls -> tls.sslContext(defaultTrust)),
                Codecs.utf8(), RemoteHubOptions.defaults().backoff(Duration.ofMillis(20), Duration.ofMillis(50), 0));
        closer.add(hub, RemoteHub::close);
        java.util.List<ConnectionStatus> statuses = new java.util.concurrent.CopyOnWriteArrayList<>();
        hub.status().subscribe(statuses::add);
        Await.until(WAIT, () -> statuses.stream().filter(s -> s == ConnectionStatus.RECONNECTING).count() >= 2,
                () -> "two failed reconnection attempts: " + statuses);
        assertThat(statuses).doesNotContain(ConnectionStatus.CONNECTED);
    }
}
