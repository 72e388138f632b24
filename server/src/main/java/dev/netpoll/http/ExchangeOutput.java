package dev.netpoll.http;

import java.io.IOException;
import java.io.OutputStream;

/**
 * The body stream a handler sees: the protocol's {@link ResponseChannel}, entered through the
 * exchange, so that a write from a thread that outlived its exchange fails instead of landing in
 * the next response. Any thread the exchange is handed to may use it, one at a time.
 */
final class ExchangeOutput extends OutputStream {

    private final ResponseChannel output;
    private final Exchange exchange;

    ExchangeOutput(ResponseChannel output, Exchange exchange) {
        this.output = output;
        this.exchange = exchange;
    }

    @Override
    public void write(int b) throws IOException {
        exchange.enter();
        try {
            output.write(b);
        } finally {
            exchange.exit();
        }
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        exchange.enter();
        try {
            output.write(b, off, len);
        } finally {
            exchange.exit();
        }
    }

    @Override
    public void flush() throws IOException {
        exchange.enter();
        try {
            output.flush();
        } finally {
            exchange.exit();
        }
    }

    @Override
    public void close() throws IOException {
        flush();
    }
}
