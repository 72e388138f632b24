package dev.netpoll.http2;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

/** HPACK against the worked examples of RFC 7541 Appendix C, and the bounds that defuse a bomb. */
class HpackTest {

    private static byte[] hex(String s) {
        return HexFormat.of().parseHex(s.replace(" ", ""));
    }

    private static List<String> decode(HpackDecoder decoder, String hex) throws HpackException {
        byte[] block = hex(hex);
        List<String> fields = new ArrayList<>();
        decoder.decode(block, block.length, Long.MAX_VALUE, (n, v) -> fields.add(n + ": " + v));
        return fields;
    }

    @Test
    void literalFieldsOfAppendixC2AreDecoded() throws Exception {
        var decoder = new HpackDecoder(4096);
        assertThat(decode(decoder, "400a 6375 7374 6f6d 2d6b 6579 0d63 7573 746f 6d2d 6865 6164 6572"))
                .containsExactly("custom-key: custom-header");
        assertThat(decoder.table().size()).isEqualTo(55);
        assertThat(decode(decoder, "040c 2f73 616d 706c 652f 7061 7468")).containsExactly(":path: /sample/path");
        assertThat(decode(decoder, "1008 7061 7373 776f 7264 0673 6563 7265 74")).containsExactly("password: secret");
        assertThat(decode(decoder, "82")).containsExactly(":method: GET");
        assertThat(decoder.table().count()).isEqualTo(1);
    }

    @Test
    void requestsOfAppendixC3ShareTheDynamicTable() throws Exception {
        var decoder = new HpackDecoder(4096);
        assertThat(decode(decoder, "8286 8441 0f77 7777 2e65 7861 6d70 6c65 2e63 6f6d"))
                .containsExactly(":method: GET", ":scheme: http", ":path: /", ":authority: www.example.com");
        assertThat(decode(decoder, "8286 84be 5808 6e6f 2d63 6163 6865"))
                .containsExactly(":method: GET", ":scheme: http", ":path: /", ":authority: www.example.com",
                        "cache-control: no-cache");
        assertThat(decode(decoder, "8287 85bf 400a 6375 7374 6f6d 2d6b 6579 0c63 7573 746f 6d2d 7661 6c75 65"))
                .containsExactly(":method: GET", ":scheme: https", ":path: /index.html", ":authority: www.example.com",
                        "custom-key: custom-value");
        assertThat(decoder.table().size()).isEqualTo(164);
    }

    @Test
    void huffmanCodedRequestsOfAppendixC4AreDecoded() throws Exception {
        var decoder = new HpackDecoder(4096);
        assertThat(decode(decoder, "8286 8441 8cf1 e3c2 e5f2 3a6b a0ab 90f4 ff"))
                .containsExactly(":method: GET", ":scheme: http", ":path: /", ":authority: www.example.com");
        assertThat(decode(decoder, "8286 84be 5886 a8eb 1064 9cbf")).endsWith("cache-control: no-cache");
        assertThat(decode(decoder, "8287 85bf 4088 25a8 49e9 5ba9 7d7f 8925 a849 e95b b8e8 b4bf"))
                .endsWith(":authority: www.example.com", "custom-key: custom-value");
        assertThat(decoder.table().size()).isEqualTo(164);
    }

    @Test
    void responsesOfAppendixC6EvictFromA256ByteTable() throws Exception {
        var decoder = new HpackDecoder(256);
        assertThat(decode(decoder, "4882 6402 5885 aec3 771a 4b61 96d0 7abe 9410 54d4 44a8 2005 9504 0b81 66e0 82a6"
                + " 2d1b ff6e 919d 29ad 1718 63c7 8f0b 97c8 e9ae 82ae 43d3"))
                .containsExactly(":status: 302", "cache-control: private", "date: Mon, 21 Oct 2013 20:13:21 GMT",
                        "location: https://www.example.com");
        assertThat(decoder.table().size()).isEqualTo(222);
        assertThat(decode(decoder, "4883 640e ffc1 c0bf")).first().isEqualTo(":status: 307");
        assertThat(decode(decoder, "88c1 6196 d07a be94 1054 d444 a820 0595 040b 8166 e084 a62d 1bff c05a 839b d9ab"
                + " 77ad 94e7 821d d7f2 e6c7 b335 dfdf cd5b 3960 d5af 2708 7f36 72c1 ab27 0fb5 291f 9587 3160 65c0"
                + " 03ed 4ee5 b106 3d50 07"))
                .containsExactly(":status: 200", "cache-control: private", "date: Mon, 21 Oct 2013 20:13:22 GMT",
                        "location: https://www.example.com", "content-encoding: gzip",
                        "set-cookie: foo=ASDJKHQKBZXOQWEOPIUAXQWEOIU; max-age=3600; version=1");
        assertThat(decoder.table().size()).isEqualTo(215);
        assertThat(decoder.table().count()).isEqualTo(3);
    }

    @Test
    void huffmanEncodingMatchesTheAppendixC4Bytes() {
        var out = new HeaderBlock(16);
        HpackEncoder.writeString("www.example.com", out);
        assertThat(HexFormat.of().formatHex(out.bytes, 0, out.length)).isEqualTo("8cf1e3c2e5f23a6ba0ab90f4ff");
    }

    @Test
    void aTableSizeAboveTheAdvertisedOneIsACompressionError() {
        var decoder = new HpackDecoder(4096);
        // 0x3f e1 1f = size update to 4097
        assertThatThrownBy(() -> decode(decoder, "3fe21f")).isInstanceOf(HpackException.class)
                .hasMessageContaining("above the 4096");
    }

    @Test
    void anIndexOutsideBothTablesIsACompressionError() {
        assertThatThrownBy(() -> decode(new HpackDecoder(4096), "be")).hasMessageContaining("outside the tables");
        assertThatThrownBy(() -> decode(new HpackDecoder(4096), "80")).hasMessageContaining("outside the tables");
    }

    @Test
    void huffmanPaddingMustBeShortAndAllOnes() {
        // "a" is 00011 (5 bits): padded with 111 is valid; with 000 it is not; a whole extra 0xff byte is too long.
        assertThatThrownBy(() -> decode(new HpackDecoder(4096), "0081 1881 18")).hasMessageContaining("padding");
        assertThatThrownBy(() -> decode(new HpackDecoder(4096), "0081 1f82 1fff")).hasMessageContaining("padding");
    }

    @Test
    void aTruncatedBlockIsACompressionError() {
        assertThatThrownBy(() -> decode(new HpackDecoder(4096), "400a 6375")).hasMessageContaining("longer than");
        assertThatThrownBy(() -> decode(new HpackDecoder(4096), "7f")).hasMessageContaining("inside an integer");
        assertThatThrownBy(() -> decode(new HpackDecoder(4096), "7fffffffff0f")).hasMessageContaining("2^31");
    }

    @Test
    void anIntegerOverflowingPast2To63IsACompressionError() {
        // Continuation bytes up to shift 63 wrap the value negative: as a size update it would pass
        // the table bound and resize the table to the low bits (here 1,000,000,000).
        assertThatThrownBy(() -> decode(new HpackDecoder(4096), "3fe193ebdc83" + "80".repeat(4) + "01"))
                .isInstanceOf(HpackException.class);
        // As an index or a string length the same value must not escape as a RuntimeException.
        assertThatThrownBy(() -> decode(new HpackDecoder(4096), "ff" + "80".repeat(9) + "01"))
                .isInstanceOf(HpackException.class);
        assertThatThrownBy(() -> decode(new HpackDecoder(4096), "00ff" + "80".repeat(9) + "01"))
                .isInstanceOf(HpackException.class);
        assertThatThrownBy(() -> decode(new HpackDecoder(4096), "0001" + "61" + "ff" + "80".repeat(9) + "01"))
                .isInstanceOf(HpackException.class);
    }

    @Test
    void anIntegerOfMoreThanFiveContinuationBytesIsACompressionError() {
        // 127 + 0 padded with zero continuation bytes: a value in range, but encoded longer than
        // any 31-bit integer needs.
        assertThatThrownBy(() -> decode(new HpackDecoder(4096), "ff" + "80".repeat(6) + "00"))
                .isInstanceOf(HpackException.class).hasMessageContaining("integer");
    }

    @Test
    void aBombOfRepeatedReferencesIsCountedButNotKept() throws Exception {
        var decoder = new HpackDecoder(4096);
        // One 4000-byte value entered into the table, then referenced 1000 times: 4 MB from 4 KB.
        var block = new HeaderBlock(8192);
        block.put(0x40);
        HpackEncoder.writeString("x", block);
        HpackEncoder.writeInt(0x00, 7, 4000, block);
        for (int i = 0; i < 4000; i++) {
            block.put('v');
        }
        for (int i = 0; i < 1000; i++) {
            block.put(0x80 | 62);
        }
        List<String> kept = new ArrayList<>();
        long size = decoder.decode(block.bytes, block.length, 16 * 1024, (n, v) -> kept.add(n));
        assertThat(size).isEqualTo(1001L * (1 + 4000 + 32));
        assertThat(kept).hasSize(4);
    }
}
