package dev.netpoll.http;

import java.util.List;
import java.util.Locale;

/**
 * When responses are gzip-compressed (Spring Boot's {@code server.compression.*}): the client
 * accepts gzip, the response carries a body with a listed MIME type, no {@code Content-Encoding}
 * of its own and no byte range, its length is unknown (streamed) or at least
 * {@code minResponseSize}, and the client's User-Agent is not excluded.
 *
 * @param enabled            whether to compress at all
 * @param mimeTypes          types to compress, such as {@code text/html} or {@code text/*}
 * @param minResponseSize    smallest body worth compressing, bytes
 * @param excludedUserAgents User-Agent values (exact) never to compress for
 */
public record ResponseCompression(boolean enabled, List<String> mimeTypes, long minResponseSize,
        List<String> excludedUserAgents) {

    /** Off. */
    public static final ResponseCompression OFF = new ResponseCompression(false, List.of(), 2048, List.of());

    public ResponseCompression {
        mimeTypes = List.copyOf(mimeTypes);
        excludedUserAgents = List.copyOf(excludedUserAgents);
        if (minResponseSize < 0) {
            throw new IllegalArgumentException("minResponseSize must be at least 0, was " + minResponseSize);
        }
    }

    /** Whether the request allows a gzip response (RFC 9110 section 12.5.3). */
    public boolean accepts(String acceptEncoding, String userAgent) {
        if (!enabled || acceptEncoding == null || userAgent != null && excludedUserAgents.contains(userAgent)) {
            return false;
        }
        for (String part : acceptEncoding.split(",")) {
            String[] fields = part.trim().split(";");
            String coding = fields[0].trim().toLowerCase(Locale.ROOT);
            if (coding.equals("gzip") || coding.equals("*")) {
                return !zeroQuality(fields);
            }
        }
        return false;
    }

    private static boolean zeroQuality(String[] fields) {
        for (int i = 1; i < fields.length; i++) {
            String parameter = fields[i].trim();
            if (parameter.startsWith("q=")) {
                try {
                    return Double.parseDouble(parameter.substring(2)) == 0;
                } catch (NumberFormatException e) {
                    return true;
                }
            }
        }
        return false;
    }

    /** Whether a body of {@code contentType} is to be compressed. */
    public boolean compresses(String contentType) {
        if (contentType == null) {
            return false;
        }
        int semicolon = contentType.indexOf(';');
        String type = (semicolon < 0 ? contentType : contentType.substring(0, semicolon)).trim().toLowerCase(Locale.ROOT);
        for (String listed : mimeTypes) {
            String candidate = listed.trim().toLowerCase(Locale.ROOT);
            if (candidate.equals(type) || candidate.endsWith("/*")
                    && type.startsWith(candidate.substring(0, candidate.length() - 1))) {
                return true;
            }
        }
        return false;
    }

    /**
     * Whether {@code response} is to be gzipped, decided once at commit by both protocols:
     * {@code size} is its body's length if known then (-1 when streamed). A HEAD answer is
     * decided as its GET would be, so that it carries the same fields (RFC 9110 section 9.3.2).
     */
    public boolean codes(HttpResponse response, boolean acceptsGzip, long size) {
        HttpHeaders headers = response.headers();
        if (!enabled || !acceptsGzip || HttpStatus.forbidsBody(response.status()) || response.status() == 206
                || headers.contains("Content-Encoding") || headers.contains("Content-Range")
                || !compresses(headers.get("Content-Type"))) {
            return false;
        }
        return size < 0 || size >= minResponseSize;
    }

    /**
     * Whether the answer needs {@code Vary: Accept-Encoding}: it could have been either coded or
     * not, so caches must key on the request's Accept-Encoding, unless it says so already.
     */
    public boolean varies(HttpResponse response) {
        HttpHeaders headers = response.headers();
        if (!enabled || HttpStatus.forbidsBody(response.status()) || !compresses(headers.get("Content-Type"))) {
            return false;
        }
        String vary = headers.get("Vary");
        return vary == null || !headers.containsToken("Vary", "Accept-Encoding") && !vary.trim().equals("*");
    }
}
