package dev.netpoll.http2;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/**
 * Settings a client may not honour before it has read our SETTINGS (it may send its first
 * request and body assuming the RFC defaults) are refused below those defaults at startup,
 * rather than failing that client's first request with COMPRESSION_ERROR or FLOW_CONTROL_ERROR.
 */
class Http2ConfigTest {

    @Test
    void aHeaderTableBelowTheDefault4096IsRefused() {
        assertThatThrownBy(() -> Http2Config.DEFAULTS.withHeaderTableSize(1024)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("headerTableSize must be between 4096 and 1048576");
        assertThat(Http2Config.DEFAULTS.withHeaderTableSize(4096).headerTableSize()).isEqualTo(4096);
    }

    @Test
    void aStreamWindowBelowTheDefault65535IsRefused() {
        assertThatThrownBy(() -> Http2Config.DEFAULTS.withInitialStreamWindow(16_384))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("initialStreamWindow must be at least 65535");
        assertThat(Http2Config.DEFAULTS.withInitialStreamWindow(65_535).initialStreamWindow()).isEqualTo(65_535);
    }
}
