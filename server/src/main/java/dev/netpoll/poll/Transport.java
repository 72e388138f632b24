package dev.netpoll.poll;

import dev.netpoll.sys.LibC;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Locale;

/**
 * How a server talks to the network: the epoll transport (libc through JNA, Linux) or the
 * portable nio transport (JDK channels on virtual threads). Both give the same {@link Listener}
 * and {@link Conn} contract.
 *
 * <p>A transport owns its poller threads. Close it after every listener and connection it made is
 * closed: tasks parked on its descriptors are not woken by {@link #close()}.
 */
public interface Transport extends AutoCloseable {

    /** System property that chooses the transport: {@code epoll}, {@code nio} or {@code auto}. */
    String PROPERTY = "netpoll.transport";

    /** {@code "epoll"} or {@code "nio"}. */
    String name();

    /** Platform threads this transport runs for polling (0 for nio, whose polling is the JDK's). */
    int pollerThreads();

    /** A listener that hands over connections at the handshake. */
    default Listener listen(InetSocketAddress address, int backlog) throws IOException {
        return listen(address, backlog, Duration.ZERO);
    }

    /**
     * A listener; with a positive {@code deferAccept}, one whose connections are handed over once
     * their first bytes arrive, or after that long without (see {@code HttpConfig.deferAccept}).
     * Only the epoll transport can defer; the nio transport (the JDK has no such socket option)
     * hands connections over at the handshake whatever is asked.
     */
    Listener listen(InetSocketAddress address, int backlog, Duration deferAccept) throws IOException;

    PollStats stats();

    @Override
    void close();

    /**
     * Opens the transport named by {@code requested} ({@code epoll}, {@code nio}, {@code auto}, or
     * null/blank for the {@value #PROPERTY} system property, itself defaulting to auto). Auto picks
     * epoll where libc and epoll work and nio elsewhere, and logs which one runs and why.
     *
     * @throws IllegalArgumentException for an unknown name
     * @throws IOException if epoll was asked for explicitly and cannot run here
     */
    static Transport open(String requested, int pollerThreads) throws IOException {
        var log = System.getLogger(Transport.class.getName());
        String choice = requested == null || requested.isBlank()
                ? System.getProperty(PROPERTY, "auto") : requested;
        switch (choice.trim().toLowerCase(Locale.ROOT)) {
            case "epoll" -> {
                if (!LibC.AVAILABLE) {
                    throw new IOException("transport 'epoll' was requested but libc cannot be used here: "
                            + LibC.UNAVAILABLE_CAUSE.getMessage() + "; use 'nio' or 'auto'", LibC.UNAVAILABLE_CAUSE);
                }
                log.log(System.Logger.Level.INFO, "Netpoll transport: epoll (requested)");
                return new EpollTransport(pollerThreads);
            }
            case "nio" -> {
                log.log(System.Logger.Level.INFO, "Netpoll transport: nio (requested)");
                return new NioTransport();
            }
            case "auto" -> {
                if (LibC.AVAILABLE) {
                    try {
                        var transport = new EpollTransport(pollerThreads);
                        log.log(System.Logger.Level.INFO, "Netpoll transport: epoll (auto: Linux with libc)");
                        return transport;
                    } catch (IOException e) {
                        log.log(System.Logger.Level.WARNING,
                                "Netpoll transport: nio (auto: epoll failed to start: " + e.getMessage() + ")");
                        return new NioTransport();
                    }
                }
                log.log(System.Logger.Level.INFO, "Netpoll transport: nio (auto: "
                        + LibC.UNAVAILABLE_CAUSE.getMessage() + ")");
                return new NioTransport();
            }
            default -> throw new IllegalArgumentException(
                    "unknown transport '" + choice + "': use epoll, nio or auto");
        }
    }
}
