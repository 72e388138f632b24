package dev.netpoll.autoconfigure;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * Throw-away key pairs and self-signed certificates made at test time with the JDK's
 * {@code keytool} (nothing private is committed), as PKCS#12 stores or PEM files.
 */
final class TestPki {

    static final String PASSWORD = "changeit";

    private TestPki() {
    }

    /** {@code dir/name.p12}: a key pair ({@code RSA} or {@code EC}) for localhost/127.0.0.1 under alias {@code name}. */
    static Path keyStore(Path dir, String name, String algorithm, String cn) throws IOException, InterruptedException {
        Path file = dir.resolve(name + ".p12");
        Files.deleteIfExists(file);
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-genkeypair", "-alias", name, "-keyalg", algorithm, "-dname", "CN=" + cn,
                "-ext", "SAN=dns:localhost,ip:127.0.0.1", "-validity", "2", "-storetype", "PKCS12",
                "-keystore", file.toString(), "-storepass", PASSWORD, "-keypass", PASSWORD));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        byte[] output = process.getInputStream().readAllBytes();
        if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
            throw new IOException("keytool failed: " + new String(output));
        }
        return file;
    }

    static KeyStore load(Path file) throws Exception {
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(file)) {
            store.load(in, PASSWORD.toCharArray());
        }
        return store;
    }

    /** Writes the certificate and the PKCS#8 private key of {@code name} as PEM files. */
    static void pem(Path store, String name, Path certificate, Path privateKey) throws Exception {
        KeyStore keys = load(store);
        Certificate cert = keys.getCertificate(name);
        PrivateKey key = (PrivateKey) keys.getKey(name, PASSWORD.toCharArray());
        Files.writeString(certificate, pem("CERTIFICATE", cert.getEncoded()));
        Files.writeString(privateKey, pem("PRIVATE KEY", key.getEncoded()));
    }

    private static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(der)
                + "\n-----END " + type + "-----\n";
    }

    /** A client context trusting the certificate in {@code trusted}, and presenting the key in {@code own} if not null. */
    static SSLContext client(Path trusted, Path own) throws Exception {
        KeyStore stored = load(trusted);
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        for (String alias : java.util.Collections.list(stored.aliases())) {
            trust.setCertificateEntry(alias, stored.getCertificate(alias));
        }
        var trustManagers = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trustManagers.init(trust);
        javax.net.ssl.KeyManager[] keyManagers = null;
        if (own != null) {
            var factory = javax.net.ssl.KeyManagerFactory.getInstance(javax.net.ssl.KeyManagerFactory.getDefaultAlgorithm());
            factory.init(load(own), PASSWORD.toCharArray());
            keyManagers = factory.getKeyManagers();
        }
        var context = SSLContext.getInstance("TLS");
        context.init(keyManagers, trustManagers.getTrustManagers(), null);
        return context;
    }
}
