package io.github.reactivepubsub.tcp;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLException;

/**
 * A self-signed EC certificate for {@code localhost} / {@code 127.0.0.1}, made by the JDK's {@code keytool} in a
 * directory (no BouncyCastle, no JDK-internal API), for the TLS tests.
 *
 * @param key the private key
 * @param certificate the certificate
 */
public record SelfSignedCertificate(PrivateKey key, X509Certificate certificate) {

    private static final char[] PASSWORD = "changeit".toCharArray();

    /**
     * @param dir where keytool writes the keystore (a test's temporary directory)
     * @return the key and certificate
     * @throws Exception when keytool fails (the assertion names its output)
     */
    public static SelfSignedCertificate generate(Path dir) throws Exception {
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
        return new SelfSignedCertificate((PrivateKey) store.getKey("server", PASSWORD),
                (X509Certificate) store.getCertificate("server"));
    }

    /**
     * @return a server context presenting this certificate
     * @throws SSLException when Netty cannot build it
     */
    public SslContext serverContext() throws SSLException {
        return SslContextBuilder.forServer(key, certificate).build();
    }

    /**
     * @return a client context that trusts this certificate only
     * @throws SSLException when Netty cannot build it
     */
    public SslContext trustingClientContext() throws SSLException {
        return SslContextBuilder.forClient().trustManager(certificate).build();
    }
}
