package live.cascade.api.chat.load;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Many chat WebSockets on one selector thread, cheap enough per frame that the measurement is of the server, not of
 * the client: frames are parsed in place from a per-socket buffer and only "message" frames whose text is a load
 * probe ({@code load <nanoTime> <node>}) are looked into, to count the delivery and its latency.
 */
final class LoadSockets implements AutoCloseable {
    private static final byte[] MESSAGE_PREFIX = "{\"type\":\"message\"".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] HELLO_PREFIX = "{\"type\":\"hello\"".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] PROBE = "\"text\":\"load ".getBytes(StandardCharsets.US_ASCII);

    /** Latencies in 10 µs buckets up to 10 s; beyond goes in the last bucket. */
    static final class Histogram {
        static final int BUCKET_NANOS = 10_000;
        private final long[] buckets = new long[1_000_001];
        private long count;
        private long max;

        synchronized void record(long nanos) {
            int b = (int) Math.min(buckets.length - 1, Math.max(0, nanos / BUCKET_NANOS));
            buckets[b]++;
            count++;
            if (nanos > max) max = nanos;
        }

        synchronized long count() {
            return count;
        }

        synchronized double percentileMillis(double p) {
            if (count == 0) return Double.NaN;
            long rank = (long) Math.ceil(p / 100.0 * count);
            long seen = 0;
            for (int i = 0; i < buckets.length; i++) {
                seen += buckets[i];
                if (seen >= rank) return (i + 1) * (double) BUCKET_NANOS / 1e6;
            }
            return max / 1e6;
        }

        synchronized double maxMillis() {
            return max / 1e6;
        }

        synchronized void clear() {
            java.util.Arrays.fill(buckets, 0);
            count = 0;
            max = 0;
        }
    }

    final class Socket {
        final int node;
        final SocketChannel channel;
        private ByteBuffer in = ByteBuffer.allocate(64 * 1024);
        private boolean upgraded;
        volatile boolean ready;
        volatile boolean closed;
        volatile int closeCode;
        private final byte[] request;

        Socket(int node, SocketChannel channel, byte[] request) {
            this.node = node;
            this.channel = channel;
            this.request = request;
        }

        /** A masked text frame, written whole (the loop covers a momentarily full send buffer). */
        synchronized void sendText(String text) throws IOException {
            writeFrame(0x1, text.getBytes(StandardCharsets.UTF_8));
        }

        private synchronized void writeFrame(int opcode, byte[] payload) throws IOException {
            int len = payload.length;
            ByteBuffer out = ByteBuffer.allocate(14 + len);
            out.put((byte) (0x80 | opcode));
            if (len < 126) {
                out.put((byte) (0x80 | len));
            } else if (len < 65536) {
                out.put((byte) (0x80 | 126)).putShort((short) len);
            } else {
                out.put((byte) (0x80 | 127)).putLong(len);
            }
            byte[] mask = new byte[4];
            ThreadLocalRandom.current().nextBytes(mask);
            out.put(mask);
            for (int i = 0; i < len; i++) out.put((byte) (payload[i] ^ mask[i & 3]));
            out.flip();
            long deadline = System.nanoTime() + 5_000_000_000L;
            while (out.hasRemaining()) {
                if (channel.write(out) == 0) {
                    if (System.nanoTime() > deadline) throw new IOException("send buffer stayed full for 5 s");
                    Thread.onSpinWait();
                }
            }
        }
    }

    private final Selector selector;
    private final Thread loop;
    private final ConcurrentLinkedQueue<Socket> pending = new ConcurrentLinkedQueue<>();
    private final List<Socket> sockets = new ArrayList<>();
    private final Histogram sameNode = new Histogram();
    private final Histogram otherNode = new Histogram();
    private final AtomicLong deliveries = new AtomicLong();
    private final AtomicInteger ready = new AtomicInteger();
    private final AtomicInteger closed = new AtomicInteger();
    private final AtomicInteger failures = new AtomicInteger();
    private volatile boolean running = true;

    LoadSockets() throws IOException {
        selector = Selector.open();
        loop = Thread.ofPlatform().name("load-selector").start(this::run);
    }

    /** Opens a chat socket to 127.0.0.1:port; {@code token} may be null (an anonymous viewer). */
    Socket open(int node, int port, String path, String token) throws IOException {
        byte[] key = new byte[16];
        ThreadLocalRandom.current().nextBytes(key);
        String req = "GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                + "Sec-WebSocket-Key: " + Base64.getEncoder().encodeToString(key) + "\r\nSec-WebSocket-Version: 13\r\n"
                + (token == null ? "" : "Authorization: Bearer " + token + "\r\n") + "\r\n";
        SocketChannel ch = SocketChannel.open();
        ch.configureBlocking(false);
        ch.setOption(java.net.StandardSocketOptions.TCP_NODELAY, true);
        ch.connect(new InetSocketAddress("127.0.0.1", port));
        Socket s = new Socket(node, ch, req.getBytes(StandardCharsets.US_ASCII));
        synchronized (sockets) {
            sockets.add(s);
        }
        pending.add(s);
        selector.wakeup();
        return s;
    }

    int ready() {
        return ready.get();
    }

    int closed() {
        return closed.get();
    }

    /** How many sockets closed with each code (-1: the connection failed or was reset), for diagnosing a run. */
    Map<Integer, Integer> closeCodes() {
        Map<Integer, Integer> out = new TreeMap<>();
        synchronized (sockets) {
            for (Socket s : sockets) if (s.closed) out.merge(s.closeCode, 1, Integer::sum);
        }
        return out;
    }

    long deliveries() {
        return deliveries.get();
    }

    Histogram sameNode() {
        return sameNode;
    }

    Histogram otherNode() {
        return otherNode;
    }

    void resetStats() {
        deliveries.set(0);
        sameNode.clear();
        otherNode.clear();
    }

    private void run() {
        try {
            while (running) {
                selector.select(100);
                for (Socket s; (s = pending.poll()) != null; ) {
                    s.channel.register(selector, SelectionKey.OP_CONNECT, s);
                }
                Iterator<SelectionKey> it = selector.selectedKeys().iterator();
                while (it.hasNext()) {
                    SelectionKey k = it.next();
                    it.remove();
                    Socket s = (Socket) k.attachment();
                    try {
                        if (k.isConnectable()) {
                            s.channel.finishConnect();
                            ByteBuffer req = ByteBuffer.wrap(s.request);
                            while (req.hasRemaining()) s.channel.write(req);
                            k.interestOps(SelectionKey.OP_READ);
                        } else if (k.isReadable()) {
                            read(s, k);
                        }
                    } catch (IOException e) {
                        k.cancel();
                        if (!s.closed && failures.getAndIncrement() < 5) System.err.println("load socket failed: " + e);
                        markClosed(s, -1);
                    }
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private void markClosed(Socket s, int code) {
        if (!s.closed) {
            s.closed = true;
            s.closeCode = code;
            closed.incrementAndGet();
        }
        try {
            s.channel.close();
        } catch (IOException ignored) {
            // closing anyway
        }
    }

    private void read(Socket s, SelectionKey k) throws IOException {
        int n = s.channel.read(s.in);
        if (n < 0) {
            k.cancel();
            markClosed(s, -1);
            return;
        }
        long now = System.nanoTime();
        ByteBuffer b = s.in;
        b.flip();
        if (!s.upgraded) {
            int end = headerEnd(b);
            if (end < 0) {
                b.compact();
                return;
            }
            String head = new String(b.array(), 0, end, StandardCharsets.US_ASCII);
            if (!head.startsWith("HTTP/1.1 101")) throw new IOException("upgrade refused: " + head.lines().findFirst().orElse(""));
            s.upgraded = true;
            b.position(end + 4);
        }
        while (b.remaining() >= 2) {
            int start = b.position();
            int b0 = b.get(start) & 0xff;
            int b1 = b.get(start + 1) & 0xff;
            int header = 2;
            long len = b1 & 0x7f;
            if (len == 126) {
                if (b.remaining() < 4) break;
                len = b.getShort(start + 2) & 0xffff;
                header = 4;
            } else if (len == 127) {
                if (b.remaining() < 10) break;
                len = b.getLong(start + 2);
                header = 10;
            }
            if (b.remaining() < header + len) {
                if (header + len > b.capacity()) {
                    ByteBuffer bigger = ByteBuffer.allocate((int) (header + len) * 2);
                    bigger.put(b);
                    s.in = bigger;
                    return;
                }
                break;
            }
            int payload = start + header;
            int opcode = b0 & 0x0f;
            switch (opcode) {
                case 0x1 -> text(s, b, payload, (int) len, now);
                case 0x8 -> {
                    int code = len >= 2 ? b.getShort(payload) & 0xffff : 1005;
                    k.cancel();
                    markClosed(s, code);
                    return;
                }
                case 0x9 -> {
                    byte[] data = new byte[(int) len];
                    b.get(payload, data);
                    s.writeFrame(0xA, data);
                }
                default -> {
                    // pong, binary, continuation: not used by the chat server toward clients
                }
            }
            b.position((int) (payload + len));
        }
        b.compact();
    }

    private void text(Socket s, ByteBuffer b, int at, int len, long now) {
        if (startsWith(b, at, len, MESSAGE_PREFIX)) {
            int probe = indexOf(b, at, len, PROBE);
            if (probe < 0) return;
            int i = probe + PROBE.length;
            int end = at + len;
            long sent = 0;
            while (i < end && b.get(i) >= '0' && b.get(i) <= '9') sent = sent * 10 + (b.get(i++) - '0');
            int origin = i + 1 < end ? b.get(i + 1) - '0' : -1;
            deliveries.incrementAndGet();
            (origin == s.node ? sameNode : otherNode).record(now - sent);
        } else if (!s.ready && startsWith(b, at, len, HELLO_PREFIX)) {
            s.ready = true;
            ready.incrementAndGet();
        }
    }

    private static boolean startsWith(ByteBuffer b, int at, int len, byte[] prefix) {
        if (len < prefix.length) return false;
        for (int i = 0; i < prefix.length; i++) if (b.get(at + i) != prefix[i]) return false;
        return true;
    }

    private static int indexOf(ByteBuffer b, int at, int len, byte[] needle) {
        int last = at + len - needle.length;
        outer:
        for (int i = at; i <= last; i++) {
            for (int j = 0; j < needle.length; j++) if (b.get(i + j) != needle[j]) continue outer;
            return i;
        }
        return -1;
    }

    private static int headerEnd(ByteBuffer b) {
        for (int i = b.position(); i + 3 < b.limit(); i++) {
            if (b.get(i) == '\r' && b.get(i + 1) == '\n' && b.get(i + 2) == '\r' && b.get(i + 3) == '\n') return i;
        }
        return -1;
    }

    @Override
    public void close() throws IOException {
        running = false;
        selector.wakeup();
        try {
            loop.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        synchronized (sockets) {
            for (Socket s : sockets) s.channel.close();
        }
        selector.close();
    }
}
