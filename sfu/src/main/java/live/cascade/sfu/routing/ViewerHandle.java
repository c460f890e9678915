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
}
