package dev.netpoll.websocket;

import jakarta.websocket.EncodeException;
import jakarta.websocket.RemoteEndpoint;
import jakarta.websocket.SendHandler;
import jakarta.websocket.SendResult;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * The asynchronous sender of an {@link EndpointSession}. Its sends run on the calling thread and
 * complete before they return, like {@link BasicRemote}'s: callers here are cheap virtual threads
 * or application threads that may block, a send to a client that reads is a copy into the socket
 * buffer, and one to a client that does not is bounded by the write timeout, and by the send
 * timeout when one is set (from the container's default async send timeout): a send that has not
 * gone out by then fails, and if part of it was written the session closes, as after a write
 * timeout. The outcome goes to the handler or future, never thrown, as the API asks. Any thread.
 */
final class AsyncRemote implements RemoteEndpoint.Async {

    private final BasicRemote basic;
    private final MessageSender sender;
    /** Milliseconds; zero or negative for none. */
    private volatile long sendTimeout;

    AsyncRemote(BasicRemote basic, MessageSender sender, long sendTimeoutMillis) {
        this.basic = basic;
        this.sender = sender;
        this.sendTimeout = sendTimeoutMillis;
    }

    private void run(MessageSender.Send send, SendHandler handler) {
        if (handler == null) {
            throw new IllegalArgumentException("the send handler must not be null");
        }
        SendResult result;
        try {
            long timeout = sendTimeout;
            if (timeout > 0) {
                sender.within(System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeout), send);
            } else {
                send.run();
            }
            result = new SendResult();
        } catch (IOException | EncodeException | RuntimeException e) {
            result = new SendResult(e);
        }
        handler.onResult(result);
    }

    private Future<Void> run(MessageSender.Send send) {
        var future = new CompletableFuture<Void>();
        run(send, result -> {
            if (result.isOK()) {
                future.complete(null);
            } else {
                future.completeExceptionally(result.getException());
            }
        });
        return future;
    }

    @Override
    public long getSendTimeout() {
        return sendTimeout;
    }

    @Override
    public void setSendTimeout(long timeoutMillis) {
        sendTimeout = timeoutMillis;
    }

    @Override
    public void sendText(String text, SendHandler handler) {
        require(text);
        run(() -> basic.sendText(text), handler);
    }

    @Override
    public Future<Void> sendText(String text) {
        require(text);
        return run(() -> basic.sendText(text));
    }

    @Override
    public Future<Void> sendBinary(ByteBuffer data) {
        require(data);
        return run(() -> basic.sendBinary(data));
    }

    @Override
    public void sendBinary(ByteBuffer data, SendHandler handler) {
        require(data);
        run(() -> basic.sendBinary(data), handler);
    }

    @Override
    public Future<Void> sendObject(Object data) {
        require(data);
        return run(() -> basic.sendObject(data));
    }

    @Override
    public void sendObject(Object data, SendHandler handler) {
        require(data);
        run(() -> basic.sendObject(data), handler);
    }

    /** Null messages fail at once (the API's IllegalArgumentException), not through the handler. */
    private static void require(Object data) {
        if (data == null) {
            throw new IllegalArgumentException("the message must not be null");
        }
    }

    @Override
    public void setBatchingAllowed(boolean allowed) {
        basic.setBatchingAllowed(allowed);
    }

    @Override
    public boolean getBatchingAllowed() {
        return basic.getBatchingAllowed();
    }

    @Override
    public void flushBatch() {
        basic.flushBatch();
    }

    @Override
    public void sendPing(ByteBuffer applicationData) throws IOException {
        basic.sendPing(applicationData);
    }

    @Override
    public void sendPong(ByteBuffer applicationData) throws IOException {
        basic.sendPong(applicationData);
    }
}
