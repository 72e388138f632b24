package dev.netpoll.websocket;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A WebSocket client that writes frames byte by byte as the test says, right or wrong (RFC 6455
 * section 5.2), and reads the server's frames as they come. Blocking; owned by the test thread.
 */
final class RawClient implements AutoCloseable {

    static final int CONTINUATION = 0;
    static final int TEXT = 1;
    static final int BINARY = 2;
    static final int CLOSE = 8;
    static final int PING = 9;
    static final int PONG = 10;

    record Frame(boolean fin, int opcode, byte[] payload) {
        String text() {
            return new String(payload, StandardCharsets.UTF_8);
        }

        /** The close code of a close frame, or 1005 when it carries none. */
        int closeCode() {
            return payload.length < 2 ? 1005 : ((payload[0] & 0xFF) << 8) | (payload[1] & 0xFF);
        }
    }

    final Socket socket;
    private final DataInputStream in;
    private final OutputStream out;
    /** The head of the server's answer to the handshake. */
    final String handshakeResponse;

    private RawClient(Socket socket, String handshakeResponse) throws IOException {
        this.socket = socket;
        this.in = new DataInputStream(socket.getInputStream());
        this.out = socket.getOutputStream();
        this.handshakeResponse = handshakeResponse;
    }

    /** Opens a session on {@code path}; {@code extraHeaders} are CRLF-terminated lines; {@code after} is sent in the same write. */
    static RawClient connect(int port, String path, String extraHeaders, byte[] after) throws IOException {
        return connect(port, path, extraHeaders, after, 0);
    }

    /** As above with a socket receive buffer of {@code receiveBuffer} bytes (0: the default), for a client that lags behind. */
    static RawClient connect(int port, String path, String extraHeaders, byte[] after, int receiveBuffer)
            throws IOException {
        var socket = new Socket();
        if (receiveBuffer > 0) {
            socket.setReceiveBufferSize(receiveBuffer);
        }
        socket.connect(new java.net.InetSocketAddress(InetAddress.getLoopbackAddress(), port));
        socket.setSoTimeout(10_000);
        String key = Base64.getEncoder().encodeToString(new byte[16]);
        String request = "GET " + path + " HTTP/1.1\r\nHost: localhost\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                + "Sec-WebSocket-Key: " + key + "\r\nSec-WebSocket-Version: 13\r\n" + extraHeaders + "\r\n";
        var bytes = new ByteArrayOutputStream();
        bytes.writeBytes(request.getBytes(StandardCharsets.US_ASCII));
        bytes.writeBytes(after);
        socket.getOutputStream().write(bytes.toByteArray());
        var head = new StringBuilder();
        var input = socket.getInputStream();
        while (!head.toString().endsWith("\r\n\r\n")) {
            int b = input.read();
            if (b < 0) {
                break;
            }
            head.append((char) b);
        }
        return new RawClient(socket, head.toString());
    }

    static RawClient connect(int port, String path) throws IOException {
        return connect(port, path, "", new byte[0]);
    }

    /** A frame as a client must send it (masked), unless {@code masked} is false. */
    static byte[] frame(boolean fin, int rsv, int opcode, byte[] payload, boolean masked) {
        var out = new ByteArrayOutputStream();
        out.write((fin ? 0x80 : 0) | (rsv << 4) | opcode);
        int maskBit = masked ? 0x80 : 0;
        if (payload.length < 126) {
            out.write(maskBit | payload.length);
        } else if (payload.length < 65536) {
            out.write(maskBit | 126);
            out.write(payload.length >> 8);
            out.write(payload.length & 0xFF);
        } else {
            out.write(maskBit | 127);
            for (int shift = 56; shift >= 0; shift -= 8) {
                out.write((int) ((long) payload.length >> shift) & 0xFF);
            }
        }
        byte[] mask = new byte[4];
        if (masked) {
            ThreadLocalRandom.current().nextBytes(mask);
            out.writeBytes(mask);
        }
        for (int i = 0; i < payload.length; i++) {
            out.write(payload[i] ^ (masked ? mask[i % 4] : 0));
        }
        return out.toByteArray();
    }

    static byte[] frame(boolean fin, int opcode, byte[] payload) {
        return frame(fin, 0, opcode, payload, true);
    }

    static byte[] text(String text) {
        return frame(true, TEXT, text.getBytes(StandardCharsets.UTF_8));
    }

    static byte[] close(int code, String reason) {
        byte[] why = reason.getBytes(StandardCharsets.UTF_8);
        byte[] payload = new byte[2 + why.length];
        payload[0] = (byte) (code >> 8);
        payload[1] = (byte) code;
        System.arraycopy(why, 0, payload, 2, why.length);
        return frame(true, CLOSE, payload);
    }

    void send(byte[]... frames) throws IOException {
        var all = new ByteArrayOutputStream();
        for (byte[] f : frames) {
            all.writeBytes(f);
        }
        out.write(all.toByteArray());
        out.flush();
    }

    /** The server's next frame; server frames are never masked (section 5.1). */
    Frame read() throws IOException {
        int b0 = in.readUnsignedByte();
        int b1 = in.readUnsignedByte();
        if ((b1 & 0x80) != 0) {
            throw new IOException("server frame is masked");
        }
        long length = b1 & 0x7F;
        if (length == 126) {
            length = in.readUnsignedShort();
        } else if (length == 127) {
            length = in.readLong();
        }
        byte[] payload = new byte[(int) length];
        in.readFully(payload);
        return new Frame((b0 & 0x80) != 0, b0 & 0x0F, payload);
    }

    /** Reads frames until a close frame, skipping others; returns it. */
    Frame readClose() throws IOException {
        for (;;) {
            Frame f = read();
            if (f.opcode() == CLOSE) {
                return f;
            }
        }
    }

    /** Whether the server closed the TCP connection (end of stream) within the socket timeout. */
    boolean serverClosedConnection() throws IOException {
        try {
            return in.read() < 0;
        } catch (java.net.SocketException e) {
            return true; // reset after close: closed as well
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
