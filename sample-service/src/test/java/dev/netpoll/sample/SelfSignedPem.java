package dev.netpoll.sample;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Makes the throw-away certificate of the sample's {@code tls} profile: a self-signed EC pair for
 * localhost and 127.0.0.1 as {@code cert.pem} and {@code key.pem} in the given directory (default
 * {@code target/tls}). Run by the tests, so no private key is ever committed; an existing pair
 * younger than ten days is kept. (By hand, the README's {@code openssl req} line does the same.) Uses the JDK's {@code keytool}, so
 * it needs nothing but the JDK.
 */
public final class SelfSignedPem {

    private static final String PASSWORD = "throwaway";

    private SelfSignedPem() {
    }

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args.length > 0 ? args[0] : "target/tls");
        Path cert = dir.resolve("cert.pem");
        Path key = dir.resolve("key.pem");
        if (Files.exists(cert) && Files.exists(key) && Files.getLastModifiedTime(cert).toInstant()
                .isAfter(Instant.now().minus(Duration.ofDays(10)))) {
            return;
        }
        Files.createDirectories(dir);
        Path store = Files.createTempFile(dir, "pair", ".p12");
        Files.delete(store);
        try {
            Process keytool = new ProcessBuilder(List.of(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                    "-genkeypair", "-alias", "sample", "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=localhost",
                    "-ext", "SAN=dns:localhost,ip:127.0.0.1", "-validity", "30", "-storetype", "PKCS12",
                    "-keystore", store.toString(), "-storepass", PASSWORD, "-keypass", PASSWORD))
                    .redirectErrorStream(true).start();
            String output = new String(keytool.getInputStream().readAllBytes());
            if (!keytool.waitFor(60, TimeUnit.SECONDS) || keytool.exitValue() != 0) {
                throw new IllegalStateException("keytool failed: " + output);
            }
            KeyStore keys = KeyStore.getInstance("PKCS12");
            try (var in = Files.newInputStream(store)) {
                keys.load(in, PASSWORD.toCharArray());
            }
            Files.writeString(cert, pem("CERTIFICATE", keys.getCertificate("sample").getEncoded()));
            Files.writeString(key, pem("PRIVATE KEY", ((PrivateKey) keys.getKey("sample", PASSWORD.toCharArray())).getEncoded()));
            Files.setLastModifiedTime(cert, FileTime.from(Instant.now()));
            System.out.println("self-signed certificate for localhost written to " + dir.toAbsolutePath());
        } finally {
            Files.deleteIfExists(store);
        }
    }

    private static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(der)
                + "\n-----END " + type + "-----\n";
    }
}
