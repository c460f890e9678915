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
     * Pins the simulcast layer with this rid (the WHEP layer extension); null goes back to the automatic choice.
     * Takes effect at that layer's next keyframe, which is requested. No effect without simulcast.
     */
    void pinLayer(String rid);

    /** True when the publication has a simulcast layer with this rid. */
    boolean hasLayer(String rid);

    /** Caps the automatic layer choice at this picture height (0: no cap). */
    void maxHeight(int height);

    /** Where the layer choice reads this viewer's bandwidth from (the default: the viewer's REMB). */
    void useBandwidthEstimate(live.cascade.sfu.simulcast.BandwidthEstimate estimate);

    /**
     * The bandwidth estimate toward this viewer in bit/s: the send-side estimate from its transport-cc feedback when
     * estimation is on and it negotiated transport-cc, else its last REMB, else -1 (unknown). Shaped like the layer
     * selector's {@code BandwidthEstimate}, so {@code handle::bitsPerSecond} is one.
     */
    long bitsPerSecond();
}
