package dev.netpoll.http2;

/** A header block that cannot be decoded: RFC 7541 calls it a decoding error, RFC 9113 a COMPRESSION_ERROR of the connection. */
final class HpackException extends Exception {

    HpackException(String message) {
        super(message, null, false, false);
    }
}
