package dev.netpoll.http;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.zip.CRC32;
import java.util.zip.Deflater;

/**
 * Gzip (RFC 1952) for one response body, fed in slices: each call returns the compressed bytes
 * ready to send, flushed with SYNC_FLUSH so that a streamed response (events, progress) reaches
 * the client at once, and finished with the gzip trailer on the last slice. Owned by the task
 * writing the response; {@link #end()} frees the native deflater. Public for HTTP/2's stream
 * output, which codes its DATA the same way.
 */
public final class GzipEncoder {

    private static final byte[] HEADER = {0x1f, (byte) 0x8b, 8, 0, 0, 0, 0, 0, 0, (byte) 0xff};

    private final Deflater deflater = new Deflater(Deflater.DEFAULT_COMPRESSION, true);
    private final CRC32 crc = new CRC32();
    private final byte[] chunk = new byte[8192];
    private boolean headerWritten;

    /** Compresses {@code length} bytes of {@code source} from {@code offset}; {@code last} ends the stream. */
    public byte[] encode(ByteBuffer source, int offset, int length, boolean last) {
        var out = new ByteArrayOutputStream(length / 2 + 64);
        if (!headerWritten) {
            out.writeBytes(HEADER);
            headerWritten = true;
        }
        byte[] input = new byte[length];
        source.get(offset, input, 0, length);
        crc.update(input);
        deflater.setInput(input);
        if (last) {
            deflater.finish();
            while (!deflater.finished()) {
                out.write(chunk, 0, deflater.deflate(chunk));
            }
            long value = crc.getValue();
            long size = deflater.getBytesRead();
            for (int i = 0; i < 4; i++) {
                out.write((int) (value >>> (8 * i)) & 0xff);
            }
            for (int i = 0; i < 4; i++) {
                out.write((int) (size >>> (8 * i)) & 0xff);
            }
            end();
        } else {
            int n;
            do {
                n = deflater.deflate(chunk, 0, chunk.length, Deflater.SYNC_FLUSH);
                out.write(chunk, 0, n);
            } while (n == chunk.length);
        }
        return out.toByteArray();
    }

    public void end() {
        deflater.end();
    }
}
