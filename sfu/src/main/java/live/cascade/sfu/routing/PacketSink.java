package live.cascade.sfu.routing;

import live.cascade.sfu.params.MediaKind;

/**
 * An in-process consumer of a router's plain (decrypted) publisher RTP, such as the HLS tap or the recorder.
 * Called on the media worker's thread: implementations must not block, and must copy what they keep.
 */
public interface PacketSink {
    void onRtp(MediaKind kind, byte[] buf, int off, int len);
}
