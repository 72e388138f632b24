package dev.netpoll.websocket;

import jakarta.websocket.MessageHandler;
import jakarta.websocket.PongMessage;
import java.io.InputStream;
import java.io.Reader;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.nio.ByteBuffer;
import java.util.HashSet;
import java.util.Set;

/**
 * The message handlers of an {@link EndpointSession}: at most one each for text, binary and pong
 * messages (Jakarta WebSocket 2.2 section 2.1.3), of the types the container can deliver without
 * decoders: {@code String}, a Java primitive or its box, and {@code Reader} for text;
 * {@code ByteBuffer}, {@code byte[]} and {@code InputStream} for binary; {@code PongMessage}.
 * Partial handlers take {@code String}, {@code ByteBuffer} or {@code byte[]}.
 *
 * <p>Any thread adds and removes (usually the endpoint's {@code onOpen} on the session's task);
 * the session's task reads. The slots are volatile; {@code addLock} keeps two adders from both
 * taking one slot.
 */
final class EndpointHandlers {

    /** A registered handler and the message type it takes. */
    record Registered(MessageHandler handler, Class<?> type, boolean partial) {
    }

    private final java.util.concurrent.locks.ReentrantLock addLock = new java.util.concurrent.locks.ReentrantLock();
    private volatile Registered text;
    private volatile Registered binary;
    private volatile Registered pong;

    Registered text() {
        return text;
    }

    Registered binary() {
        return binary;
    }

    Registered pong() {
        return pong;
    }

    void add(MessageHandler handler) {
        if (handler instanceof MessageHandler.Whole<?>) {
            add(handler, typeOf(handler, MessageHandler.Whole.class), false);
        } else if (handler instanceof MessageHandler.Partial<?>) {
            add(handler, typeOf(handler, MessageHandler.Partial.class), true);
        } else {
            throw new IllegalStateException("a message handler must implement MessageHandler.Whole or MessageHandler.Partial");
        }
    }

    void add(MessageHandler handler, Class<?> type, boolean partial) {
        if (handler == null || type == null) {
            throw new IllegalArgumentException("the message handler and its type must not be null");
        }
        Class<?> boxed = boxed(type);
        var registered = new Registered(handler, boxed, partial);
        addLock.lock();
        try {
            if (boxed == PongMessage.class && !partial) {
                pong = claim(pong, registered, "pong");
            } else if (boxed == String.class || !partial && (boxed == Reader.class || isPrimitiveBox(boxed))) {
                text = claim(text, registered, "text");
            } else if (boxed == ByteBuffer.class || boxed == byte[].class || !partial && boxed == InputStream.class) {
                binary = claim(binary, registered, "binary");
            } else {
                throw new IllegalStateException("no decoder for " + (partial ? "partial " : "") + "messages of type "
                        + type.getName() + ": the endpoint declares no decoders, and the container decodes only"
                        + " String, primitives, Reader, ByteBuffer, byte[], InputStream and PongMessage");
            }
        } finally {
            addLock.unlock();
        }
    }

    private static Registered claim(Registered current, Registered wanted, String kind) {
        if (current != null) {
            throw new IllegalStateException("the session already has a " + kind + " message handler: "
                    + current.handler() + "; remove it first");
        }
        return wanted;
    }

    void remove(MessageHandler handler) {
        addLock.lock();
        try {
            if (text != null && text.handler() == handler) {
                text = null;
            }
            if (binary != null && binary.handler() == handler) {
                binary = null;
            }
            if (pong != null && pong.handler() == handler) {
                pong = null;
            }
        } finally {
            addLock.unlock();
        }
    }

    Set<MessageHandler> all() {
        Set<MessageHandler> all = new HashSet<>();
        for (Registered each : new Registered[] {text, binary, pong}) {
            if (each != null) {
                all.add(each.handler());
            }
        }
        return all;
    }

    /**
     * The message type of {@code handler} as its class declares it for {@code kind}
     * ({@code Whole<T>} or {@code Partial<T>}), searched through its superclasses and
     * super-interfaces. A lambda's class carries no type argument:
     * {@code addMessageHandler(Class, handler)} is the way to register one.
     */
    static Class<?> typeOf(MessageHandler handler, Class<?> kind) {
        for (Class<?> c = handler.getClass(); c != null && c != Object.class; c = c.getSuperclass()) {
            Class<?> found = typeIn(c.getGenericInterfaces(), kind);
            if (found != null) {
                return found;
            }
        }
        throw new IllegalStateException("cannot tell the message type of " + handler.getClass().getName()
                + " (a lambda or a generic class); register it with addMessageHandler(Class, handler)");
    }

    private static Class<?> typeIn(Type[] interfaces, Class<?> kind) {
        for (Type each : interfaces) {
            if (each instanceof ParameterizedType p && p.getRawType() == kind) {
                Type argument = p.getActualTypeArguments()[0];
                if (argument instanceof Class<?> c) {
                    return c;
                }
                if (argument instanceof ParameterizedType generic && generic.getRawType() instanceof Class<?> raw) {
                    return raw;
                }
                return null;
            }
            Type raw = each instanceof ParameterizedType p ? p.getRawType() : each;
            if (raw instanceof Class<?> c && kind.isAssignableFrom(c) && c != kind) {
                Class<?> found = typeIn(c.getGenericInterfaces(), kind);
                if (found != null) {
                    return found;
                }
            }
        }
        return null;
    }

    private static boolean isPrimitiveBox(Class<?> type) {
        return type == Boolean.class || type == Character.class || type == Byte.class || type == Short.class
                || type == Integer.class || type == Long.class || type == Float.class || type == Double.class;
    }

    private static Class<?> boxed(Class<?> type) {
        if (!type.isPrimitive()) {
            return type;
        }
        return switch (type.getName()) {
            case "boolean" -> Boolean.class;
            case "char" -> Character.class;
            case "byte" -> Byte.class;
            case "short" -> Short.class;
            case "int" -> Integer.class;
            case "long" -> Long.class;
            case "float" -> Float.class;
            case "double" -> Double.class;
            default -> type;
        };
    }

    /** {@code text} as a primitive box of {@code type}; NumberFormatException or IllegalArgumentException if it is not one. */
    static Object parsePrimitive(Class<?> type, String text) {
        if (type == Boolean.class) {
            if (!text.equalsIgnoreCase("true") && !text.equalsIgnoreCase("false")) {
                throw new IllegalArgumentException("not a boolean: " + text);
            }
            return Boolean.valueOf(text);
        }
        if (type == Character.class) {
            if (text.length() != 1) {
                throw new IllegalArgumentException("not a single character: " + text);
            }
            return text.charAt(0);
        }
        if (type == Byte.class) {
            return Byte.valueOf(text);
        }
        if (type == Short.class) {
            return Short.valueOf(text);
        }
        if (type == Integer.class) {
            return Integer.valueOf(text);
        }
        if (type == Long.class) {
            return Long.valueOf(text);
        }
        if (type == Float.class) {
            return Float.valueOf(text);
        }
        return Double.valueOf(text);
    }
}
