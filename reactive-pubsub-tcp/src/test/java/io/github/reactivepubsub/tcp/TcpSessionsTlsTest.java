package io.github.reactivepubsub.tcp;

import static io.github.reactivepubsub.tcp.TestCodecs.MESSAGES;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.reactivepubsub.session.Closer;
import io.github.reactivepubsub.session.Session;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslHandler;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import reactor.core.publisher.Flux;
import reactor.netty.Connection;
import reactor.netty.tcp.TcpClient;
import reactor.netty.tcp.TcpServer;
import reactor.test.StepVerifier;

/**
 * TLS through the escape hatch: the server and the client are pre-configured Reactor Netty objects with
 * {@code secure(...)}. The self-signed certificate is made by the JDK's {@code keytool} in a temporary directory,
 * so no BouncyCastle or JDK-internal API is needed.
 */
class TcpSessionsTlsTest {

    private static final Duration WAIT = Duration.ofSeconds(20);

    private static SelfSignedCertificate certificate;

    @RegisterExtension
    final Closer closer = new Closer();

    private TcpSessionServer server;
    private Session<String, String> client;

    @BeforeAll
    static void makeSelfSignedCertificate(@TempDir Path dir) throws Exception {
        certificate = SelfSignedCertificate.generate(dir);
    }

    private void bindTlsEchoServer() throws SSLException {
        SslContext serverTls = certificate.serverContext();
        server = TcpSessions.bind(TcpServer.create().host("127.0.0.1").port(0).secure(tls -> tls.sslContext(serverTls)),
                MESSAGES, MESSAGES, TcpSessionOptions.defaults(),
                session -> session.sendAll(session.inbound().map(text -> "echo:" + text))).block(WAIT);
        closer.add(server, s -> s.disposeNow(WAIT));
    }

    @Test
    void sessionsRunOverTlsConfiguredOnThePreConfiguredServerAndClient() throws SSLException {
        bindTlsEchoServer();
        SslContext clientTls = certificate.trustingClientContext();
        AtomicReference<Connection> connection = new AtomicReference<>();

        client = TcpSessions.connect(TcpClient.newConnection().host("127.0.0.1").port(server.port())
                        .secure(tls -> tls.sslContext(clientTls))
                        .doOnConnected(connection::set),
                MESSAGES, MESSAGES, TcpSessionOptions.defaults()).block(WAIT);
        closer.add(client, c -> c.close().block(WAIT));

        StepVerifier.create(client.inbound().take(2))
                .then(() -> client.sendAll(Flux.just("over", "tls")).subscribe())
                .expectNext("echo:over", "echo:tls")
                .expectComplete()
                .verify(WAIT);
        SslHandler tls = connection.get().channel().pipeline().get(SslHandler.class);
        assertThat(tls).as("TLS handler in the client's pipeline").isNotNull();
        assertThat(tls.engine().getSession().getProtocol()).isIn(List.of("TLSv1.2", "TLSv1.3"));
    }

    @Test
    void aClientThatDoesNotTrustTheCertificateIsRefused() throws SSLException {
        bindTlsEchoServer();
        SslContext defaultTrust = SslContextBuilder.forClient().build(); // the JDK's CAs: not our self-signed one

        StepVerifier.create(TcpSessions.connect(TcpClient.newConnection().host("127.0.0.1").port(server.port())
                                .secure(tls -> tls.sslContext(defaultTrust)),
                        MESSAGES, MESSAGES, TcpSessionOptions.defaults()))
                .expectErrorSatisfies(e -> assertThat(e).isInstanceOf(SSLHandshakeException.class)
                        .hasMessageContaining("PKIX path building failed"))
                .verify(WAIT);
    }
}
