package live.cascade.sfu.dtls;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.Arrays;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.bouncycastle.tls.DatagramTransport;

/**
 * The datagram transport Bouncy Castle's blocking handshake runs over: the media worker offers DTLS datagrams into a
 * bounded queue (never blocking the worker; a full queue drops, as the network would), and sends go back out through
 * a {@link DtlsSession.DatagramSink}.
 */
final class QueuedDatagramTransport implements DatagramTransport {
    /** A handshake flight is a handful of datagrams; more than this queued means the session thread is stuck. */
    static final int CAPACITY = 64;
    /** Receive limit covers a full Ethernet-sized datagram; BC sizes its record buffers from it. */
    private static final int RECEIVE_LIMIT = 1500;
    /** Send limit keeps handshake fragments under common tunnel MTUs, as browsers do. */
    private static final int SEND_LIMIT = 1200;

    private final ArrayBlockingQueue<byte[]> inbound = new ArrayBlockingQueue<>(CAPACITY);
    private final DtlsSession.DatagramSink sink;
    private volatile boolean closed;

    QueuedDatagramTransport(DtlsSession.DatagramSink sink) {
        this.sink = sink;
    }

    boolean offer(byte[] datagram) {
        return !closed && inbound.offer(datagram);
    }

    boolean isClosed() { return closed; }

    @Override public int getReceiveLimit() { return RECEIVE_LIMIT; }

    @Override public int getSendLimit() { return SEND_LIMIT; }

    @Override
    public int receive(byte[] buf, int off, int len, int waitMillis) throws IOException {
        if (closed) throw new IOException("DTLS transport closed");
        byte[] datagram;
        try {
            // Bouncy Castle follows DatagramSocket.setSoTimeout: a wait of 0 means no limit (close() interrupts).
            datagram = waitMillis <= 0 ? inbound.take() : inbound.poll(waitMillis, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("DTLS session stopped");
        }
        if (datagram == null) return -1;
        int n = Math.min(len, datagram.length);
        System.arraycopy(datagram, 0, buf, off, n);
        return n;
    }

    @Override
    public void send(byte[] buf, int off, int len) throws IOException {
        if (closed) throw new IOException("DTLS transport closed");
        sink.send(Arrays.copyOfRange(buf, off, off + len));
    }

    @Override
    public void close() {
        closed = true;
    }
}
