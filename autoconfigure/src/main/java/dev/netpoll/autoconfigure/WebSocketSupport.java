package dev.netpoll.autoconfigure;

import org.springframework.util.ClassUtils;

/**
 * Whether WebSocket can be served: Tyrus' core is on the class path (an application may exclude
 * it to go without WebSocket). Code that names {@code NetpollServerContainer}, whose superclass
 * is Tyrus', must check this first, or it fails with {@code NoClassDefFoundError}.
 */
public final class WebSocketSupport {

    private static final boolean PRESENT = ClassUtils.isPresent("org.glassfish.tyrus.core.TyrusWebSocketEngine",
            WebSocketSupport.class.getClassLoader());

    private WebSocketSupport() {
    }

    public static boolean present() {
        return PRESENT;
    }
}
