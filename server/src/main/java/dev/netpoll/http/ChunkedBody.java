package dev.netpoll.http;

import java.io.IOException;

/**
 * A request body in chunked transfer coding (RFC 9112 section 7.1), decoded strictly:
 * chunk-size is 1*HEXDIG that fits 60 bits, chunk extensions are tokens with optional token or
 * quoted-string values, every line ends in CRLF, chunk data is followed by CRLF, and trailer fields
 * obey the header rules. Any violation is a {@link BodyException} (400) and the connection closes.
 * Owned by the request's task.
 */
final class ChunkedBody extends RequestBody {

    private static final int MAX_LINE = 4096;
    /**
     * How far the bytes around the data (chunk lines, CRLFs) may outrun it. A chunk is allowed
     * 16 bytes of framing plus twice its size; beyond that allowance the surplus accumulates, and
     * past 16 KiB the body is refused: otherwise 4 KB extensions on 1-byte chunks make the
     * server read (or, for a body left unread, drain) thousands of bytes per byte of data, and the
     * body-size and drain limits, which count data only, never stop it. Go's net/http has the same
     * rule (CVE-2023-39326).
     */
    static final int MAX_EXCESS = 16 * 1024;

    private final long maxBodySize;
    private final int maxTrailerSize;
    private final HttpHeaders trailers;
    private long chunkRemaining;
    // Bytes of the chunk line being read, against MAX_LINE.
    private int lineLength;
    private long total;
    // Framing bytes not yet paid for by data, against MAX_EXCESS.
    private long excess;
    private boolean done;

    ChunkedBody(ConnInput input, long maxBodySize, int maxTrailerSize, HttpHeaders trailers, BodyStart beforeFirstRead) {
        super(input, beforeFirstRead);
        this.maxBodySize = maxBodySize;
        this.maxTrailerSize = maxTrailerSize;
        this.trailers = trailers;
    }

    @Override
    int readFramed(byte[] b, int off, int len) throws IOException {
        if (done) {
            return -1;
        }
        if (len == 0) {
            return 0;
        }
        start();
        if (chunkRemaining == 0) {
            chunkRemaining = readChunkSize();
            if (chunkRemaining == 0) {
                readTrailers();
                done = true;
                return -1;
            }
            total += chunkRemaining;
            if (maxBodySize >= 0 && total > maxBodySize) {
                throw new BodyException(413, "request body larger than " + maxBodySize + " bytes");
            }
        }
        int n = input.read(b, off, (int) Math.min(len, chunkRemaining));
        if (n < 0) {
            throw new BodyException(400, "client closed the connection inside a chunk");
        }
        chunkRemaining -= n;
        if (chunkRemaining == 0) {
            expect('\r');
            expect('\n');
        }
        return n;
    }

    private long readChunkSize() throws IOException {
        long size = 0;
        int digits = 0;
        int c;
        while ((c = next()) != -1 && Character.digit(c, 16) >= 0) {
            if (++digits > 15) {
                throw new BodyException(400, "chunk size too large");
            }
            size = size * 16 + Character.digit(c, 16);
        }
        if (digits == 0) {
            throw new BodyException(400, "chunk size is not hexadecimal");
        }
        // After the digits: BWS, then CR or chunk-ext = *( BWS ";" BWS ext-name [ BWS "=" BWS
        // ext-val ] ), ext-val being a token or a quoted-string. "1x" is not a size of 1.
        lineLength = digits;
        c = blank(c);
        boolean extended = c == ';';
        while (c == ';') {
            c = token(blank(nextInLine()));
            c = blank(c);
            if (c == '=') {
                c = blank(nextInLine());
                c = blank(c == '"' ? quotedString() : token(c));
            }
        }
        if (c != '\r') {
            throw new BodyException(400, extended ? "malformed chunk extension" : "malformed chunk size");
        }
        if (next() != '\n') {
            throw new BodyException(400, "chunk line not ended by CRLF");
        }
        // The line, its CRLF and the CRLF after the data, less what this chunk's data pays for.
        excess = Math.max(0, excess + lineLength + 4 - 16 - 2 * size);
        if (excess > MAX_EXCESS) {
            throw new BodyException(400, "chunked body with far more framing than data");
        }
        return size;
    }

    /** The next byte of a chunk line; lines longer than {@link #MAX_LINE} are refused. */
    private int nextInLine() throws IOException {
        if (++lineLength > MAX_LINE) {
            throw new BodyException(400, "chunk line longer than " + MAX_LINE + " bytes");
        }
        return next();
    }

    /** Skips SP and HTAB from {@code c}; returns the byte after them. */
    private int blank(int c) throws IOException {
        while (c == ' ' || c == '\t') {
            c = nextInLine();
        }
        return c;
    }

    /** A token starting at {@code c} (RFC 9110 section 5.6.2); returns the byte after it. */
    private int token(int c) throws IOException {
        if (!RequestParser.tchar(c)) {
            throw new BodyException(400, "malformed chunk extension");
        }
        while (RequestParser.tchar(c)) {
            c = nextInLine();
        }
        return c;
    }

    /**
     * A quoted-string whose opening quote was read (RFC 9110 section 5.6.4; obs-text refused);
     * returns the byte after the closing quote.
     */
    private int quotedString() throws IOException {
        for (;;) {
            int c = nextInLine();
            if (c == '"') {
                return nextInLine();
            }
            if (c == '\\') {
                c = nextInLine();
            }
            if (!(c == ' ' || c == '\t' || c >= 0x21 && c <= 0x7E)) {
                throw new BodyException(400, "malformed chunk extension");
            }
        }
    }

    private void readTrailers() throws IOException {
        var raw = new java.io.ByteArrayOutputStream();
        // The last three bytes before c, most recent first.
        int b1 = -1;
        int b2 = -1;
        int b3 = -1;
        // The trailer section ends with an empty line: CRLF at its start or CRLF CRLF.
        for (;;) {
            int c = next();
            if (c == -1) {
                throw new BodyException(400, "client closed the connection inside the trailer section");
            }
            raw.write(c);
            if (raw.size() > maxTrailerSize) {
                throw new BodyException(431, "trailer section larger than " + maxTrailerSize + " bytes");
            }
            if (c == '\n') {
                if (b1 != '\r') {
                    throw new BodyException(400, "bare LF in trailer section");
                }
                if (raw.size() == 2 || b2 == '\n' && b3 == '\r') {
                    break;
                }
            }
            b3 = b2;
            b2 = b1;
            b1 = c;
        }
        byte[] bytes = raw.toByteArray();
        try {
            RequestParser.parseFields(bytes, 0, bytes.length, trailers, 100);
        } catch (HttpException e) {
            throw new BodyException(e.status(), "trailer: " + e.getMessage());
        }
    }

    private void expect(int wanted) throws IOException {
        if (next() != wanted) {
            throw new BodyException(400, "chunk data not followed by CRLF");
        }
    }

    private int next() throws IOException {
        return input.read();
    }

    @Override
    boolean finished() {
        return done;
    }
}
