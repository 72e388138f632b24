package dev.netpoll.autoconfigure;

import dev.netpoll.sys.Errno;
import dev.netpoll.sys.SyscallException;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.util.Locale;
import org.springframework.boot.web.server.PortInUseException;
import org.springframework.boot.web.server.WebServerException;

/**
 * Why a listener could not bind, as the exception Spring Boot expects: only an address already in
 * use is a {@link PortInUseException} (which Boot's failure analyzer reports as "Port N was already
 * in use" and answers with "identify and stop the process"); an address this host does not have
 * or a port it may not open is another {@link WebServerException} saying what to change.
 *
 * <p>The epoll transport carries the errno (a {@link SyscallException} cause); the nio transport
 * only the JDK's message, which is the C library's text for the same errno.
 */
final class BindFailure {

    private BindFailure() {
    }

    /**
     * The exception to throw for {@code failure} binding {@code address} (the one asked for);
     * {@code addressSetting} names where that address was configured.
     */
    static WebServerException of(BindException failure, InetSocketAddress address, String addressSetting) {
        int port = address.getPort();
        String where = describe(address);
        if (is(failure, Errno.EADDRINUSE, "in use")) {
            return new PortInUseException(port, failure);
        }
        if (is(failure, Errno.EADDRNOTAVAIL, "cannot assign requested address")) {
            return new WebServerException("Unable to listen on " + where + ": " + address.getAddress().getHostAddress()
                    + " is not an address of this host; set " + addressSetting + " to one of its interfaces'"
                    + " addresses, or leave it unset to listen on all of them", failure);
        }
        if (is(failure, Errno.EACCES, "permission denied")) {
            return new WebServerException("Unable to listen on " + where + ": permission denied; ports below 1024"
                    + " need the CAP_NET_BIND_SERVICE capability, so choose a port of 1024 or above (server.port)"
                    + " or grant it", failure);
        }
        return new WebServerException("Unable to listen on " + where + ": " + failure.getMessage(), failure);
    }

    private static String describe(InetSocketAddress address) {
        return address.getAddress() == null || address.getAddress().isAnyLocalAddress()
                ? "port " + address.getPort()
                : address.getAddress().getHostAddress() + " port " + address.getPort();
    }

    private static boolean is(BindException failure, int errno, String text) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof SyscallException syscall) {
                return syscall.errno() == errno;
            }
        }
        String message = failure.getMessage();
        return message != null && message.toLowerCase(Locale.ROOT).contains(text);
    }
}
