package dev.netpoll.tls;

import dev.netpoll.sys.NativeBufferPool;
import dev.netpoll.poll.Conn;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Supplier;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;

/**
 * The server side of TLS for one listener: where its {@code SSLContext} comes from, which protocols,
 * cipher suites and client authentication it allows, and the application protocols it offers
 * (ALPN, RFC 7301). {@link #wrap} turns each accepted connection into a {@link TlsConn}.
 *
 * <p>The context is asked of {@code contexts} for every new connection, so a supplier that returns
 * a renewed context (a reloaded certificate) serves it to new connections while existing ones keep
 * theirs. Immutable; safe for any thread.
 */
public final class TlsContext {

    /** TLS 1.3 and 1.2 only: older versions are deprecated by RFC 8996. */
    public static final List<String> DEFAULT_PROTOCOLS = List.of("TLSv1.3", "TLSv1.2");

    private final Supplier<SSLContext> contexts;
    private final List<String> protocols;
    private final List<String> cipherSuites;
    private final ClientAuth clientAuth;
    private final List<String> applicationProtocols;
    private final Map<String, Supplier<SSLContext>> serverNames;
    private final NativeBufferPool pool;
    private final HandshakeStats stats = new HandshakeStats();

    private TlsContext(Builder builder) {
        this.contexts = builder.contexts;
        this.protocols = builder.protocols;
        this.cipherSuites = builder.cipherSuites;
        this.clientAuth = builder.clientAuth;
        this.applicationProtocols = builder.applicationProtocols;
        this.serverNames = builder.serverNames;
        SSLEngine probe = newEngine(contexts.get());
        // A whole record, encrypted or decrypted, fits one buffer.
        int size = Math.max(probe.getSession().getPacketBufferSize(), probe.getSession().getApplicationBufferSize());
        this.pool = new NativeBufferPool(size, 256, "TLS record buffer");
    }

    public static Builder builder(Supplier<SSLContext> contexts) {
        return new Builder(contexts);
    }

    /**
     * Wraps an accepted connection; the handshake runs on its first read or write and must finish
     * within {@code handshakeTimeout}.
     */
    public TlsConn wrap(Conn plain, Duration handshakeTimeout) {
        return new TlsConn(plain, this, pool, handshakeTimeout, stats);
    }

    public HandshakeStats handshakes() {
        return stats;
    }

    public List<String> protocols() {
        return protocols;
    }

    public ClientAuth clientAuth() {
        return clientAuth;
    }

    /** Record buffers held by connections now (an idle connection holds none); for tests and metrics. */
    public int recordBuffersLent() {
        return pool.lent();
    }

    /** The size of one record buffer in bytes. */
    public int recordBufferSize() {
        return pool.bufferSize();
    }

    /** Whether the certificate depends on the host name the client asks for (SNI). */
    boolean choosesByServerName() {
        return !serverNames.isEmpty();
    }

    /**
     * A server engine for a client that asked for {@code serverName} (null: none): the context
     * configured for that name, or for {@code *.parent} when the name is one label under
     * {@code parent}, else the default one.
     */
    SSLEngine newEngine(String serverName) {
        Supplier<SSLContext> chosen = null;
        if (serverName != null) {
            chosen = serverNames.get(serverName);
            int dot = serverName.indexOf('.');
            if (chosen == null && dot > 0) {
                chosen = serverNames.get("*" + serverName.substring(dot));
            }
        }
        return newEngine(Objects.requireNonNull((chosen != null ? chosen : contexts).get(),
                "the SSLContext supplier returned null"));
    }

    private SSLEngine newEngine(SSLContext context) {
        SSLEngine engine = context.createSSLEngine();
        engine.setUseClientMode(false);
        SSLParameters parameters = engine.getSSLParameters();
        parameters.setProtocols(protocols.toArray(String[]::new));
        if (cipherSuites != null) {
            parameters.setCipherSuites(cipherSuites.toArray(String[]::new));
        }
        switch (clientAuth) {
            case NEED -> parameters.setNeedClientAuth(true);
            case WANT -> parameters.setWantClientAuth(true);
            case NONE -> {
                parameters.setNeedClientAuth(false);
                parameters.setWantClientAuth(false);
            }
        }
        parameters.setApplicationProtocols(applicationProtocols.toArray(String[]::new));
        // Our preference, not the client's: the configured order of suites is the server's policy.
        parameters.setUseCipherSuitesOrder(true);
        engine.setSSLParameters(parameters);
        return engine;
    }

    /** Settings of a {@link TlsContext}; {@link #build()} checks them against the JDK's engine. */
    public static final class Builder {

        private final Supplier<SSLContext> contexts;
        private List<String> protocols = DEFAULT_PROTOCOLS;
        private List<String> cipherSuites;
        private ClientAuth clientAuth = ClientAuth.NONE;
        private List<String> applicationProtocols = List.of("http/1.1");
        private Map<String, Supplier<SSLContext>> serverNames = Map.of();

        private Builder(Supplier<SSLContext> contexts) {
            this.contexts = Objects.requireNonNull(contexts, "'contexts' must not be null");
        }

        /** Enabled protocol versions, such as {@code TLSv1.3}; null or empty for the default. */
        public Builder protocols(List<String> value) {
            protocols = value == null || value.isEmpty() ? DEFAULT_PROTOCOLS : List.copyOf(value);
            return this;
        }

        /**
         * Enabled cipher suites in order of preference; null or empty for the JDK's enabled suites
         * without the CBC ones: only AEAD suites (GCM, ChaCha20-Poly1305, all of TLS 1.3), as
         * Mozilla's "intermediate" profile, since CBC with TLS 1.2 is the source of the Lucky13
         * family of padding-oracle attacks and testssl rates it obsolete.
         */
        public Builder cipherSuites(List<String> value) {
            cipherSuites = value == null || value.isEmpty() ? null : List.copyOf(value);
            return this;
        }

        public Builder clientAuth(ClientAuth value) {
            clientAuth = Objects.requireNonNull(value, "'clientAuth' must not be null");
            return this;
        }

        /** ALPN protocols offered, in order of preference; {@code http/1.1} by default. */
        public Builder applicationProtocols(List<String> value) {
            applicationProtocols = List.copyOf(value);
            return this;
        }

        /**
         * Certificates chosen by the host name a client asks for (SNI): an exact name, or
         * {@code *.example.com} for any name one label under {@code example.com}; other clients
         * get the default context. Protocols, cipher suites and client authentication are shared.
         */
        public Builder serverNames(Map<String, Supplier<SSLContext>> value) {
            var lowerCase = new java.util.LinkedHashMap<String, Supplier<SSLContext>>();
            value.forEach((name, context) -> lowerCase.put(name.toLowerCase(java.util.Locale.ROOT),
                    Objects.requireNonNull(context, "no SSLContext for server name " + name)));
            serverNames = Map.copyOf(lowerCase);
            return this;
        }

        /**
         * Builds the context, failing with a message that names the setting to change if the JDK
         * does not support a configured protocol or cipher suite.
         */
        public TlsContext build() {
            SSLEngine engine = contexts.get().createSSLEngine();
            requireSupported("protocol", protocols, engine.getSupportedProtocols(), "server.ssl.enabled-protocols");
            requireNotDisabled(protocols);
            if (cipherSuites != null) {
                requireSupported("cipher suite", cipherSuites, engine.getSupportedCipherSuites(), "server.ssl.ciphers");
            } else {
                cipherSuites = Arrays.stream(engine.getEnabledCipherSuites()).filter(suite -> !suite.contains("_CBC_")).toList();
            }
            for (Map.Entry<String, Supplier<SSLContext>> name : serverNames.entrySet()) {
                requireSupported("protocol", protocols, name.getValue().get().createSSLEngine().getSupportedProtocols(),
                        "server.ssl.enabled-protocols, for server name " + name.getKey());
            }
            return new TlsContext(this);
        }

        /**
         * A protocol the JDK disables ({@code jdk.tls.disabledAlgorithms} in {@code java.security},
         * which lists TLSv1 and TLSv1.1 since JDK 16, per RFC 8996) would be accepted by the engine
         * and then never negotiated: refused here so that the configuration says what is served.
         */
        private static void requireNotDisabled(List<String> asked) {
            String disabled = java.security.Security.getProperty("jdk.tls.disabledAlgorithms");
            if (disabled == null) {
                return;
            }
            Set<String> names = new LinkedHashSet<>();
            for (String entry : disabled.split(",")) {
                names.add(entry.trim());
            }
            List<String> refused = asked.stream().filter(names::contains).toList();
            if (!refused.isEmpty()) {
                throw new IllegalArgumentException("TLS protocol" + (refused.size() > 1 ? "s " : " ") + refused
                        + " disabled by this JDK (jdk.tls.disabledAlgorithms) would never be negotiated: remove it"
                        + " from server.ssl.enabled-protocols (TLS 1.0 and 1.1 are deprecated by RFC 8996)");
            }
        }

        private static void requireSupported(String what, List<String> asked, String[] supported, String property) {
            Set<String> known = new LinkedHashSet<>(Arrays.asList(supported));
            List<String> unknown = asked.stream().filter(name -> !known.contains(name)).toList();
            if (!unknown.isEmpty()) {
                throw new IllegalArgumentException("TLS " + what + (unknown.size() > 1 ? "s " : " ") + unknown
                        + " not supported by this JDK (" + property + "); supported: " + known);
            }
        }
    }
}
