package live.cascade.bench.load;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * One thread of the load tool serving many viewers: a {@link Selector} over their datagram channels, each viewer's
 * timers every {@value #TICK_MILLIS} ms, and the tasks other threads post (a joined viewer to adopt, DTLS keys, a
 * leave). A few of these carry hundreds of viewers, so the tool's own threads stay few.
 */
final class ViewerReactor implements AutoCloseable {
    private static final int TICK_MILLIS = 10;

    private final Selector selector;
    private final ConcurrentLinkedQueue<Runnable> tasks = new ConcurrentLinkedQueue<>();
    private final List<LoadViewer> viewers = new ArrayList<>();
    private final ByteBuffer receive = ByteBuffer.allocate(2048);
    private final Thread thread;
    private volatile boolean closed;
    private long readErrors;

    ViewerReactor(String name) {
        try {
            selector = Selector.open();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        thread = Thread.ofPlatform().name(name).daemon().start(this::run);
    }

    /** From any thread: {@code task} runs on this reactor's thread. */
    void post(Runnable task) {
        tasks.add(task);
        selector.wakeup();
    }

    /** From the joining thread: the viewer's channel joins this reactor's selector. */
    void adopt(LoadViewer v) {
        post(() -> {
            try {
                v.channel().register(selector, SelectionKey.OP_READ, v);
                viewers.add(v);
            } catch (ClosedChannelException e) {
                v.fail("channel closed before it was adopted");
            }
        });
    }

    /** From any thread: the viewer's channel leaves the selector and closes. */
    void forget(LoadViewer v) {
        post(() -> {
            viewers.remove(v);
            SelectionKey key = v.channel() == null ? null : v.channel().keyFor(selector);
            if (key != null) key.cancel();
            v.closeChannel();
        });
    }

    long readErrors() { return readErrors; }

    private void run() {
        long nextTick = System.nanoTime();
        while (!closed) {
            try {
                selector.select(TICK_MILLIS);
            } catch (IOException e) {
                readErrors++;
                continue;
            }
            long now = System.nanoTime();
            for (SelectionKey key : selector.selectedKeys()) {
                if (key.isValid()) drain((LoadViewer) key.attachment(), now);
            }
            selector.selectedKeys().clear();
            for (Runnable task; (task = tasks.poll()) != null; ) task.run();
            if (now >= nextTick) {
                nextTick = now + TICK_MILLIS * 1_000_000L;
                for (int i = 0; i < viewers.size(); i++) viewers.get(i).tick(now);
            }
        }
    }

    private void drain(LoadViewer v, long now) {
        // Read until the socket is empty: one readiness event may stand for many datagrams.
        for (int i = 0; i < 64; i++) {
            receive.clear();
            SocketAddress from;
            try {
                from = v.channel().receive(receive);
            } catch (IOException e) {
                readErrors++;
                return;
            }
            if (from == null) return;
            if (receive.position() > 0) v.onDatagram(receive.array(), receive.position(), now);
        }
    }

    @Override
    public void close() {
        closed = true;
        selector.wakeup();
        try {
            thread.join(2000);
            selector.close();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException ignored) {
            // nothing to do: the tool is ending
        }
    }
}
