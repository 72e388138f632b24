package dev.netpoll.tls;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * Self-signed certificates made at test time with the JDK's {@code keytool} (nothing private is
 * committed): a PKCS#12 key store per name, for {@code localhost} and 127.0.0.1.
 */
public final class TestCertificates {

    public static final char[] PASSWORD = "changeit".toCharArray();

    private TestCertificates() {
    }

    /** The {@code keytool} next to the running JVM. */
    public static Path keytool() {
        return Path.of(System.getProperty("java.home"), "bin", "keytool");
    }

    /**
     * Creates {@code dir/name.p12} holding a key pair ({@code RSA} or {@code EC}) and a self-signed
     * certificate for {@code cn}, alias {@code name}, password {@link #PASSWORD}.
     */
    public static Path keyStore(Path dir, String name, String algorithm, String cn) throws IOException, InterruptedException {
        Path file = dir.resolve(name + ".p12");
        Files.deleteIfExists(file); // keytool would add to it
        List<String> command = new ArrayList<>(List.of(keytool().toString(), "-genkeypair", "-alias", name,
                "-keyalg", algorithm, "-dname", "CN=" + cn, "-ext", "SAN=dns:localhost,ip:127.0.0.1,dns:" + cn,
                "-validity", "2", "-storetype", "PKCS12", "-keystore", file.toString(),
                "-storepass", new String(PASSWORD), "-keypass", new String(PASSWORD)));
        if (algorithm.equals("RSA")) {
            command.addAll(List.of("-keysize", "2048"));
        }
        run(command);
        return file;
    }

    /** Exports the certificate of {@code name} from {@code store} as PEM. */
    public static Path exportPem(Path store, String name, Path pem) throws IOException, InterruptedException {
        run(List.of(keytool().toString(), "-exportcert", "-rfc", "-alias", name, "-keystore", store.toString(),
                "-storepass", new String(PASSWORD), "-file", pem.toString()));
        return pem;
    }

    static void run(List<String> command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        byte[] output = process.getInputStream().readAllBytes();
        if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
            throw new IOException(command.get(0) + " failed: " + new String(output));
        }
    }

    public static KeyStore load(Path file) throws Exception {
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(file)) {
            store.load(in, PASSWORD);
        }
        return store;
    }

    /** A server context presenting the key in {@code keyStore}, trusting {@code trusted} for client certificates (or null). */
    public static SSLContext serverContext(Path keyStore, Path trusted) throws Exception {
        var keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keys.init(load(keyStore), PASSWORD);
        var context = SSLContext.getInstance("TLS");
        context.init(keys.getKeyManagers(), trusted == null ? null : trustManagers(trusted), null);
        return context;
    }

    /** A client context trusting the certificate in {@code trusted}, presenting {@code own} if not null. */
    public static SSLContext clientContext(Path trusted, Path own) throws Exception {
        var context = SSLContext.getInstance("TLS");
        KeyManagerFactory keys = null;
        if (own != null) {
            keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            keys.init(load(own), PASSWORD);
        }
        context.init(keys == null ? null : keys.getKeyManagers(), trustManagers(trusted), null);
        return context;
    }

    private static javax.net.ssl.TrustManager[] trustManagers(Path trusted) throws Exception {
        KeyStore store = load(trusted);
        // keytool stores a key entry; a trust store needs the certificate as a trusted entry.
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        for (String alias : java.util.Collections.list(store.aliases())) {
            trust.setCertificateEntry(alias, store.getCertificate(alias));
        }
        var factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        factory.init(trust);
        return factory.getTrustManagers();
    }
}
