package live.cascade.api.chat;

import live.cascade.api.auth.Principal;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.websocket.api.Session;
import org.eclipse.jetty.websocket.common.WebSocketSession;
import org.eclipse.jetty.websocket.core.CoreSession;
import org.eclipse.jetty.websocket.core.Frame;
import org.eclipse.jetty.websocket.core.OpCode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One open chat WebSocket: who is on it, which channel, which fan-out lane, and its outgoing queue depth. Sends never
 * block; a socket whose reader falls {@value #MAX_PENDING} frames behind is closed (1013) rather than allowed to
 * hold the node's memory.
 */
public final class ChatSocket {
    private static final Logger LOG = LoggerFactory.getLogger(ChatSocket.class);
    static final int MAX_PENDING = 1024;

    final String id;
    final long channelId;
    final Principal principal;
    final int lane;
    final InboundGuard guard;
    private final Session session;
    private final CoreSession core;
    private final AtomicInteger pending = new AtomicInteger();
    private final AtomicBoolean open = new AtomicBoolean(true);
    private final Callback sent = new SendCallback();

    ChatSocket(String id, long channelId, Principal principal, int lane, Session session, InboundGuard guard) {
        this.id = id;
        this.channelId = channelId;
        this.principal = principal;
        this.lane = lane;
        this.session = session;
        this.guard = guard;
        // The core session takes a ready UTF-8 payload; the API session would encode the same String once per socket.
        this.core = session instanceof WebSocketSession ws ? ws.getCoreSession() : null;
    }

    /** The user's id, or 0 for an anonymous viewer. */
    long userId() {
        return principal == null ? 0 : principal.id();
    }

    boolean isOpen() {
        return open.get() && session.isOpen();
    }

    void send(ServerFrame frame) {
        send(SerializedFrame.of(frame));
    }

    void send(SerializedFrame frame) {
        send(frame, false);
    }

    /** {@code batch}: more frames follow at once, so Jetty may hold this one and write them together. */
    void send(SerializedFrame frame, boolean batch) {
        if (!open.get()) return;
        if (pending.incrementAndGet() > MAX_PENDING) {
            pending.decrementAndGet();
            close(ChatError.TOO_SLOW.closeCode(), "too slow: frames piled up unread");
            return;
        }
        try {
            if (core != null) {
                core.sendFrame(new Frame(OpCode.TEXT, true, frame.payload()), sent, batch);
            } else {
                session.sendText(frame.text(), org.eclipse.jetty.websocket.api.Callback.from(sent::succeeded, sent::failed));
            }
        } catch (RuntimeException e) {
            sent.failed(e);
        }
    }

    /** Sends {@code error} marked fatal, then closes with the error's close code. */
    void fail(ChatError error, String message) {
        send(new ServerFrame.Error(error.code(), message, null, null, true));
        close(error.closeCode(), message);
    }

    void close(int code, String reason) {
        if (!open.compareAndSet(true, false)) return;
        // A close reason is at most 123 bytes on the wire.
        String r = reason.length() > 100 ? reason.substring(0, 100) : reason;
        session.close(code, r, org.eclipse.jetty.websocket.api.Callback.NOOP);
    }

    private final class SendCallback implements Callback {
        @Override
        public void succeeded() {
            pending.decrementAndGet();
        }

        @Override
        public void failed(Throwable x) {
            pending.decrementAndGet();
            if (open.compareAndSet(true, false)) LOG.debug("chat socket {} send failed: {}", id, x.toString());
        }

        @Override
        public InvocationType getInvocationType() {
            return InvocationType.NON_BLOCKING;
        }
    }
}
