package dev.netpoll.servlet;

import dev.netpoll.http.HttpRequest;
import jakarta.servlet.ServletInputStream;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.UnsupportedEncodingException;
import java.nio.charset.Charset;
import java.nio.charset.IllegalCharsetNameException;
import java.nio.charset.StandardCharsets;
import java.nio.charset.UnsupportedCharsetException;

/**
 * How the application reads a request's body: its length, type and character encoding, and the
 * one way in it chose, the input stream or the reader (Servlet 6.1 section 3.12). Used by the
 * thread that holds the request (its connection's task, or an application thread during async
 * work), one at a time; the fields are plain.
 */
final class RequestBodyAccess {

    private final HttpRequest http;
    private final ContainerRequest request;
    private String characterEncoding;
    private RequestBodyStream inputStream;
    private BufferedReader reader;
    /** The stream under {@code reader}, to tell when the body has ended. */
    private RequestBodyStream readerStream;

    RequestBodyAccess(HttpRequest http, ContainerRequest request, String characterEncoding) {
        this.http = http;
        this.request = request;
        this.characterEncoding = characterEncoding;
    }

    /** The encoding set by the application or the context, else the Content-Type's charset. */
    String characterEncoding() {
        if (characterEncoding != null) {
            return characterEncoding;
        }
        return ContentType.parameter(contentType(), "charset");
    }

    /** The body's charset: UTF-8 if none is named, or the named one is not known. */
    Charset charset() {
        String name = characterEncoding();
        if (name == null) {
            return StandardCharsets.UTF_8;
        }
        try {
            return Charset.forName(name);
        } catch (IllegalCharsetNameException | UnsupportedCharsetException e) {
            return StandardCharsets.UTF_8;
        }
    }

    /** ServletRequest.setCharacterEncoding: ignored once the reader has decoded the body. */
    void setCharacterEncoding(String encoding) throws UnsupportedEncodingException {
        if (reader != null) {
            return; // too late: the body was already decoded (Servlet 6.1 section 3.12)
        }
        try {
            Charset.forName(encoding);
        } catch (IllegalCharsetNameException | UnsupportedCharsetException e) {
            throw new UnsupportedEncodingException(encoding);
        }
        characterEncoding = encoding;
    }

    /** The Content-Length, or -1 for a chunked body or none. */
    long contentLength() {
        if (http.isChunked()) {
            return -1;
        }
        return http.header("Content-Length") == null ? -1 : http.contentLength();
    }

    String contentType() {
        return http.header("Content-Type");
    }

    ServletInputStream inputStream() {
        if (reader != null) {
            throw new IllegalStateException("getReader() was already called for this request");
        }
        if (inputStream == null) {
            inputStream = new RequestBodyStream(http.body(), request);
        }
        return inputStream;
    }

    BufferedReader reader() {
        if (inputStream != null && reader == null) {
            throw new IllegalStateException("getInputStream() was already called for this request");
        }
        if (reader == null) {
            readerStream = new RequestBodyStream(http.body(), request);
            reader = new BufferedReader(new InputStreamReader(readerStream, charset()));
        }
        return reader;
    }

    /**
     * Whether the body has been read to its end (or there is none), so that its trailer fields,
     * if any, have arrived: Servlet 6.1's {@code isTrailerFieldsReady}.
     */
    boolean finished() {
        if (!http.isChunked() && http.contentLength() == 0) {
            return true;
        }
        RequestBodyStream stream = inputStream != null ? inputStream : readerStream;
        return stream != null && stream.isFinished();
    }

    /** Whether the application took the body through the input stream or the reader. */
    boolean isOpened() {
        return inputStream != null || reader != null;
    }
}
