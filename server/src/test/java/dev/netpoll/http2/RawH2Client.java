package dev.netpoll.http2;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.util.ArrayList;
import java.util.List;

/**
 * A client that writes HTTP/2 frames byte by byte, valid or not, and reads what the server
 * answers frame by frame: for the protocol error cases no real client would send.
 */
final class RawH2Client implements AutoCloseable {

    record Received(int type, int flags, int stream, byte[] payload) {
        int errorCode() {
            int at = type == Frame.GOAWAY ? 4 : 0;
            return (payload[at] & 0xFF) << 24 | (payload[at + 1] & 0xFF) << 16 | (payload[at + 2] & 0xFF) << 8
                    | payload[at + 3] & 0xFF;
        }

        int lastStreamId() {
            return (payload[0] & 0x7F) << 24 | (payload[1] & 0xFF) << 16 | (payload[2] & 0xFF) << 8 | payload[3] & 0xFF;
        }

        boolean has(int flag) {
            return (flags & flag) != 0;
        }
    }

    /** A response read off the connection: its decoded fields and body. */
    record Response(List<String> fields, byte[] body) {
        String status() {
            return fields.stream().filter(f -> f.startsWith(":status: ")).findFirst().orElseThrow().substring(9);
        }
    }

    private final Socket socket;
    private final DataInputStream in;
    private final OutputStream out;
    private final HpackDecoder decoder = new HpackDecoder(4096);
    /** Frames of other streams read while waiting for one stream's response, kept for later reads. */
    private final java.util.ArrayDeque<Received> stashed = new java.util.ArrayDeque<>();

    RawH2Client(int port) throws IOException {
        this(new Socket(InetAddress.getLoopbackAddress(), port));
    }

    RawH2Client(Socket socket) throws IOException {
        this.socket = socket;
        socket.setSoTimeout(10_000);
        in = new DataInputStream(socket.getInputStream());
        out = socket.getOutputStream();
    }

    /** The preface and an empty SETTINGS; reads the server's SETTINGS and acknowledges it. */
    RawH2Client handshake() throws IOException {
        return handshake(new int[0]);
    }

    RawH2Client handshake(int... settings) throws IOException {
        out.write(Frame.PREFACE);
        settings(settings);
        Received first = read();
        assertThat(first.type()).isEqualTo(Frame.SETTINGS);
        frame(Frame.SETTINGS, Frame.FLAG_ACK, 0, new byte[0]);
        // The server's connection WINDOW_UPDATE, then its acknowledgement of our SETTINGS.
        for (Received f = read(); !(f.type() == Frame.SETTINGS && f.has(Frame.FLAG_ACK)); f = read()) {
            assertThat(f.type()).isEqualTo(Frame.WINDOW_UPDATE);
        }
        return this;
    }

    void settings(int... pairs) throws IOException {
        byte[] payload = new byte[pairs.length / 2 * 6];
        for (int i = 0, at = 0; i < pairs.length; i += 2, at += 6) {
            payload[at] = (byte) (pairs[i] >>> 8);
            payload[at + 1] = (byte) pairs[i];
            int32(payload, at + 2, pairs[i + 1]);
        }
        frame(Frame.SETTINGS, 0, 0, payload);
    }

    void raw(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
    }

    void frame(int type, int flags, int stream, byte[] payload) throws IOException {
        byte[] frame = new byte[9 + payload.length];
        frame[0] = (byte) (payload.length >>> 16);
        frame[1] = (byte) (payload.length >>> 8);
        frame[2] = (byte) payload.length;
        frame[3] = (byte) type;
        frame[4] = (byte) flags;
        int32(frame, 5, stream);
        System.arraycopy(payload, 0, frame, 9, payload.length);
        out.write(frame);
        out.flush();
    }

    static void int32(byte[] into, int at, int value) {
        into[at] = (byte) (value >>> 24);
        into[at + 1] = (byte) (value >>> 16);
        into[at + 2] = (byte) (value >>> 8);
        into[at + 3] = (byte) value;
    }

    static byte[] int32(int value) {
        byte[] b = new byte[4];
        int32(b, 0, value);
        return b;
    }

    /** A header block of literal fields, name/value pairs in order. */
    static byte[] block(String... fields) {
        var block = new HeaderBlock(256);
        for (int i = 0; i < fields.length; i += 2) {
            HpackEncoder.field(fields[i], fields[i + 1], block);
        }
        return java.util.Arrays.copyOf(block.bytes, block.length);
    }

    /** The pseudo-header fields of {@code method path}, then {@code extra}. */
    static byte[] request(String method, String path, String... extra) {
        String[] all = new String[8 + extra.length];
        String[] pseudo = {":method", method, ":scheme", "http", ":path", path, ":authority", "localhost"};
        System.arraycopy(pseudo, 0, all, 0, 8);
        System.arraycopy(extra, 0, all, 8, extra.length);
        return block(all);
    }

    void headers(int stream, boolean endStream, byte[] block) throws IOException {
        frame(Frame.HEADERS, Frame.FLAG_END_HEADERS | (endStream ? Frame.FLAG_END_STREAM : 0), stream, block);
    }

    void get(int stream, String path) throws IOException {
        headers(stream, true, request("GET", path));
    }

    void data(int stream, boolean endStream, byte[] data) throws IOException {
        frame(Frame.DATA, endStream ? Frame.FLAG_END_STREAM : 0, stream, data);
    }

    /** The next frame (one that {@link #response} set aside first), or null at end of stream (or a reset). */
    /** Frames read while waiting for another stream's, not yet taken by {@link #read()}. */
    List<Received> stashed() {
        return List.copyOf(stashed);
    }

    Received read() throws IOException {
        if (!stashed.isEmpty()) {
            return stashed.poll();
        }
        byte[] header = new byte[9];
        try {
            in.readFully(header);
        } catch (EOFException | java.net.SocketException e) {
            return null;
        }
        int length = (header[0] & 0xFF) << 16 | (header[1] & 0xFF) << 8 | header[2] & 0xFF;
        byte[] payload = new byte[length];
        in.readFully(payload);
        int stream = (header[5] & 0x7F) << 24 | (header[6] & 0xFF) << 16 | (header[7] & 0xFF) << 8 | header[8] & 0xFF;
        return new Received(header[3] & 0xFF, header[4] & 0xFF, stream, payload);
    }

    /** Reads until GOAWAY and returns it; fails if the connection ends first. */
    Received expectGoAway() throws IOException {
        for (;;) {
            Received f = read();
            if (f == null) {
                fail("the connection ended without GOAWAY");
            }
            if (f.type() == Frame.GOAWAY) {
                return f;
            }
        }
    }

    /** Reads until RST_STREAM on {@code stream} and returns its error code; fails on GOAWAY or the end. */
    int expectReset(int stream) throws IOException {
        for (;;) {
            Received f = read();
            if (f == null) {
                fail("the connection ended without RST_STREAM on stream " + stream);
            }
            if (f.type() == Frame.GOAWAY) {
                fail("GOAWAY (error " + f.errorCode() + ": " + new String(f.payload(), 8, f.payload().length - 8)
                        + ") instead of RST_STREAM on stream " + stream);
            }
            if (f.type() == Frame.RST_STREAM && f.stream() == stream) {
                return f.errorCode();
            }
        }
    }

    /** Reads frames until {@code stream} ends, decoding its header fields; other streams' frames are set aside. */
    Response response(int stream) throws IOException, HpackException {
        List<String> fields = new ArrayList<>();
        var body = new java.io.ByteArrayOutputStream();
        List<Received> others = new ArrayList<>();
        List<Received> seen = new ArrayList<>(stashed);
        stashed.clear();
        java.util.Iterator<Received> replay = seen.iterator();
        try {
            return response(stream, fields, body, others, replay);
        } finally {
            while (replay.hasNext()) {
                others.add(replay.next());
            }
            stashed.addAll(others);
        }
    }

    private Response response(int stream, List<String> fields, java.io.ByteArrayOutputStream body, List<Received> others,
            java.util.Iterator<Received> replay) throws IOException, HpackException {
        for (;;) {
            Received f = replay.hasNext() ? replay.next() : read();
            if (f == null) {
                fail("the connection ended before stream " + stream + " did");
            }
            if (f.type() == Frame.GOAWAY) {
                fail("GOAWAY (error " + f.errorCode() + ") before stream " + stream + " ended");
            }
            if (f.stream() != stream) {
                if (f.stream() != 0) {
                    others.add(f);
                }
                continue;
            }
            if (f.type() == Frame.HEADERS) {
                // Our encoder never indexes, so decoding out of order cannot desynchronise the table.
                decoder.decode(f.payload(), f.payload().length, Long.MAX_VALUE, (n, v) -> fields.add(n + ": " + v));
            }
            if (f.type() == Frame.RST_STREAM) {
                fail("stream " + stream + " reset with error " + f.errorCode());
            }
            if (f.type() == Frame.DATA) {
                body.write(f.payload());
            }
            if ((f.type() == Frame.DATA || f.type() == Frame.HEADERS) && f.has(Frame.FLAG_END_STREAM)) {
                return new Response(fields, body.toByteArray());
            }
        }
    }

    /** True if the server closes the connection within the socket timeout (reading and dropping frames). */
    boolean closedByServer() throws IOException {
        try {
            while (read() != null) {
                // drop
            }
            return true;
        } catch (SocketTimeoutException e) {
            return false;
        }
    }

    void timeout(int millis) throws IOException {
        socket.setSoTimeout(millis);
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
