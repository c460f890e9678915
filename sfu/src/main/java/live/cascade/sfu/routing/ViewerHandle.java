package live.cascade.sfu.routing;

import live.cascade.sfu.transport.MediaReceiver;

/** A viewer attached to a router. Use on the media worker thread. */
public sealed interface ViewerHandle permits ViewerConsumer {
    /** Where the viewer's transport delivers the viewer's decrypted RTCP (receiver reports, PLI/FIR, NACK, REMB...). */
    MediaReceiver rtcpInput();

    /** Stops forwarding to this viewer; idempotent. */
    void close();

    boolean isClosed();

    ViewerStats stats();

    /**
     * The bandwidth estimate toward this viewer in bit/s: the send-side estimate from its transport-cc feedback when
     * estimation is on and it negotiated transport-cc, else its last REMB, else -1 (unknown). Shaped like the layer
     * selector's {@code BandwidthEstimate}, so {@code handle::bitsPerSecond} is one.
     */
    long bitsPerSecond();
}
