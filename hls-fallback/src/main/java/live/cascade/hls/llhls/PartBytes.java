package live.cascade.hls.llhls;

import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The bytes of one part, growing while the part is written (one chunk per frame) and fixed once it is complete.
 * Readers get a {@link #stream() stream} that hands out what is there and waits for more until the part is complete, so
 * a player that asked for a part announced by a preload hint receives it as it is made. A lock and condition (not
 * {@code synchronized}) so waiting virtual threads unmount.
 */
public final class PartBytes {
    /** How long a reader waits for the next chunk before it gives up on a part whose writer stalled. */
    private static final long STALL_NANOS = TimeUnit.SECONDS.toNanos(5);

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition grown = lock.newCondition();
    private byte[] data = new byte[16 * 1024];
    private int length;
    private boolean complete;
    private boolean abandoned;

    void append(byte[] chunk) {
        lock.lock();
        try {
            if (complete) throw new IllegalStateException("part already complete");
            if (length + chunk.length > data.length) data = Arrays.copyOf(data, Math.max(data.length * 2, length + chunk.length));
            System.arraycopy(chunk, 0, data, length, chunk.length);
            length += chunk.length;
            grown.signalAll();
        } finally {
            lock.unlock();
        }
    }

    void finish() {
        lock.lock();
        try {
            // Trimmed once: every request for the complete part is then served the same array.
            data = Arrays.copyOf(data, length);
            complete = true;
            grown.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** The writer gave up on this part: readers end with an error rather than a part that is cut short. */
    void abandon() {
        lock.lock();
        try {
            abandoned = true;
            complete = true;
            grown.signalAll();
        } finally {
            lock.unlock();
        }
    }

    public boolean complete() {
        lock.lock();
        try {
            return complete && !abandoned;
        } finally {
            lock.unlock();
        }
    }

    public int length() {
        lock.lock();
        try {
            return length;
        } finally {
            lock.unlock();
        }
    }

    /** All bytes, once complete (shared by every reader: not to be modified); null before. */
    public byte[] bytes() {
        lock.lock();
        try {
            return complete && !abandoned ? data : null;
        } finally {
            lock.unlock();
        }
    }

    /** Reads the part from its start, waiting for bytes not written yet; ends when the part is complete. */
    public InputStream stream() {
        return new InputStream() {
            private int position;

            @Override
            public int read() throws IOException {
                byte[] one = new byte[1];
                return read(one, 0, 1) < 0 ? -1 : one[0] & 0xFF;
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                if (len == 0) return 0;
                lock.lock();
                try {
                    long deadline = System.nanoTime() + STALL_NANOS;
                    while (position >= length && !complete) {
                        long left = deadline - System.nanoTime();
                        if (left <= 0) throw new IOException("the part stopped growing");
                        grown.awaitNanos(left);
                    }
                    if (abandoned) throw new IOException("the part was abandoned");
                    if (position >= length) return -1;
                    int n = Math.min(len, length - position);
                    System.arraycopy(data, position, b, off, n);
                    position += n;
                    return n;
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IOException("interrupted", e);
                } finally {
                    lock.unlock();
                }
            }
        };
    }
}
