package io.github.reactivepubsub.tcp;

import static io.github.reactivepubsub.tcp.TestCodecs.MESSAGES;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.reactivepubsub.session.Session;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslHandler;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
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
    private static final char[] PASSWORD = "changeit".toCharArray();

    private static PrivateKey key;
    private static X509Certificate certificate;

    private TcpSessionServer server;
    private Session<String, String> client;

    @BeforeAll
    static void makeSelfSignedCertificate(@TempDir Path dir) throws Exception {
        Path keystore = dir.resolve("server.p12");
        Process keytool = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-genkeypair", "-alias", "server", "-keyalg", "EC", "-groupname", "secp256r1",
                "-dname", "CN=localhost", "-ext", "SAN=ip:127.0.0.1,dns:localhost", "-validity", "2",
                "-storetype", "PKCS12", "-keystore", keystore.toString(),
                "-storepass", new String(PASSWORD), "-keypass", new String(PASSWORD))
                .redirectErrorStream(true).start();
        String output = new String(keytool.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(keytool.waitFor(60, TimeUnit.SECONDS)).as("keytool finished").isTrue();
        assertThat(keytool.exitValue()).as("keytool exit code; output: %s", output).isZero();

        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(keystore)) {
            store.load(in, PASSWORD);
        }
        key = (PrivateKey) store.getKey("server", PASSWORD);
        certificate = (X509Certificate) store.getCertificate("server");
    }

    @AfterEach
    void closeEverything() {
        if (client != null) {
            client.close().block(WAIT);
        }
        if (server != null) {
            server.disposeNow(WAIT);
        }
    }

    private void bindTlsEchoServer() throws SSLException {
        SslContext serverTls = SslContextBuilder.forServer(key, certificate).build();
        server = TcpSessions.bind(TcpServer.create().host("127.0.0.1").port(0).secure(tls -> tls.sslContext(serverTls)),
                MESSAGES, MESSAGES, TcpSessionOptions.defaults(),
                session -> session.sendAll(session.inbound().map(text -> "echo:" + text))).block(WAIT);
    }

    @Test
    void sessionsRunOverTlsConfiguredOnThePreConfiguredServerAndClient() throws SSLException {
        bindTlsEchoServer();
        SslContext clientTls = SslContextBuilder.forClient().trustManager(certificate).build();
        AtomicReference<Connection> connection = new AtomicReference<>();

        client = TcpSessions.connect(TcpClient.newConnection().host("127.0.0.1").port(server.port())
                        .secure(tls -> tls.sslContext(clientTls))
                        .doOnConnected(connection::set),
                MESSAGES, MESSAGES, TcpSessionOptions.defaults()).block(WAIT);

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
