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
 *
 * <p>During the handshake ({@link #enterHandshake} to {@link #leaveHandshake}) the session thread computes only while
 * it holds one of the node's {@link HandshakeSlots}: {@link #receive} gives the slot back before it waits for the
 * peer and takes one again (in turn, up to the handshake's deadline) before Bouncy Castle goes on computing. The slot
 * fields are the session thread's alone.
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
    private final HandshakeSlots slots;
    private volatile boolean closed;
    /** Session thread only: inside the handshake, and whether it holds a slot now. */
    private boolean handshaking;
    private boolean holdingSlot;
    private long deadlineNanos;

    QueuedDatagramTransport(DtlsSession.DatagramSink sink, HandshakeSlots slots) {
        this.sink = sink;
        this.slots = slots;
    }

    /**
     * Session thread: the handshake starts; waits for a slot, until {@code deadlineNanos} at most.
     *
     * @throws InterruptedIOException when the session is closed meanwhile
     * @throws IOException            when the deadline passes first
     */
    void enterHandshake(long deadlineNanos) throws IOException {
        this.deadlineNanos = deadlineNanos;
        handshaking = true;
        takeSlot();
    }

    /** Session thread: the handshake ended (keys, failure or close); its slot, if it holds one, goes to the next. */
    void leaveHandshake() {
        handshaking = false;
        giveBackSlot();
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
        byte[] datagram = inbound.poll();
        if (datagram == null) {
            // About to wait for the peer: nothing to compute meanwhile, so another handshake may use the slot.
            giveBackSlot();
            try {
                // Bouncy Castle follows DatagramSocket.setSoTimeout: a wait of 0 means no limit (close() interrupts).
                datagram = waitMillis <= 0 ? inbound.take() : inbound.poll(waitMillis, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("DTLS session stopped");
            }
            // A datagram to process or a retransmission timer that fired: either way Bouncy Castle computes next.
            takeSlot();
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

    private void giveBackSlot() {
        if (holdingSlot) {
            holdingSlot = false;
            slots.release();
        }
    }

    private void takeSlot() throws IOException {
        if (!handshaking || holdingSlot) return;
        boolean granted;
        try {
            granted = slots.acquire(deadlineNanos);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("DTLS session stopped while waiting for a handshake slot");
        }
        if (!granted) throw new IOException("DTLS handshake timed out waiting for a handshake slot (" + slots + ")");
        holdingSlot = true;
        if (closed) throw new IOException("DTLS transport closed");
    }
}
