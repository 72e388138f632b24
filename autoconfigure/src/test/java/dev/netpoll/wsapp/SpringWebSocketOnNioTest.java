package dev.netpoll.wsapp;

import org.springframework.test.context.TestPropertySource;

/** {@link SpringWebSocketTest} on the nio transport. */
@TestPropertySource(properties = "server.netpoll.transport=nio")
class SpringWebSocketOnNioTest extends SpringWebSocketTest {
}
