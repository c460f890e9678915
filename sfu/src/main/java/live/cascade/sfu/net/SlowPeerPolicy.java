package live.cascade.sfu.net;

/**
 * When a peer whose write queue is full is dropped: a send that finds the queue full is dropped on its own, and once
 * the queue has stayed full longer than the limit (no writability regained in between), the peer goes. A burst the
 * network absorbs costs a few packets; a peer that cannot keep up is let go before it holds memory or time for long.
 * One per connection, on its event loop.
 */
final class SlowPeerPolicy {
    private final long limitNanos;
    private long fullSinceNanos = -1;

    SlowPeerPolicy(long limitNanos) {
        if (limitNanos <= 0) throw new IllegalArgumentException("limit must be positive");
        this.limitNanos = limitNanos;
    }

    /** A send found the queue full at {@code nowNanos}: true when the peer has been too slow for too long. */
    boolean onFull(long nowNanos) {
        if (fullSinceNanos < 0) {
            fullSinceNanos = nowNanos;
            return false;
        }
        return nowNanos - fullSinceNanos > limitNanos;
    }

    /** The queue drained below its low mark: the peer caught up. */
    void onWritable() {
        fullSinceNanos = -1;
    }
}
