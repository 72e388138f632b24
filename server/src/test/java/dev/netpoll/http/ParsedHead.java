package dev.netpoll.http;

import java.util.ArrayList;
import java.util.List;

/**
 * What the engine decided about a request head, as a value: request line, fields in order, and
 * the framing and persistence decisions. Two reads of the same bytes must give equal values.
 */
record ParsedHead(String method, String target, int minorVersion, List<String> fields, long bodyLength,
        boolean keepAlive, boolean expectContinue, boolean closeAfter) {

    static ParsedHead of(RequestHead head) {
        var fields = new ArrayList<String>();
        for (int i = 0; i < head.headers.size(); i++) {
            fields.add(head.headers.name(i) + ": " + head.headers.value(i));
        }
        return new ParsedHead(head.method, head.target, head.minorVersion, List.copyOf(fields), head.bodyLength,
                head.keepAlive, head.expectContinue, head.closeAfter);
    }
}
