package dev.netpoll.servlet;

import org.junit.jupiter.api.BeforeAll;

/** {@link ExchangeLifetimeTest} on the nio transport. */
class ExchangeLifetimeOnNioTest extends ExchangeLifetimeTest {

    @BeforeAll
    static void start() throws Exception {
        startOn("nio");
    }
}
