package live.cascade.sfu.routing;

import live.cascade.sfu.transport.MediaReceiver;

/**
 * The receiver handed to one attached publisher transport. Identity matters: once the router binds another
 * publisher (or detaches this one), packets still arriving here are dropped as stale.
 */
final class PublisherSession implements MediaReceiver {
    private final Router router;

    PublisherSession(Router router) { this.router = router; }

    @Override public void onRtp(byte[] buf, int off, int len) { router.onPublisherRtp(this, buf, off, len, 0); }

    @Override public void onRtp(byte[] buf, int off, int len, long waitedNanos) {
        router.onPublisherRtp(this, buf, off, len, waitedNanos);
    }

    @Override public void onRtcp(byte[] buf, int off, int len) { router.onPublisherRtcp(this, buf, off, len); }
}
