package live.cascade.bench.load;

import live.cascade.sfu.feedback.TransportCcFeedback;
import live.cascade.sfu.params.HeaderExtensions;

/**
 * The load viewer's side of transport-cc, as a browser does it: the offer asks for the transport-wide sequence
 * extension and {@code transport-cc} feedback, each received packet's number and arrival time go into the node's own
 * {@link TransportCcFeedback} (the same encoder the node uses toward publishers), and a feedback goes back every
 * {@value #INTERVAL_MILLIS} ms. Without it the node's per-viewer estimator has nothing to work on and a load run would
 * measure pacing without estimation. Reactor thread only.
 */
final class TransportCcReporter {
    static final int EXTENSION_ID = 5;
    static final long INTERVAL_MILLIS = 50;

    private final TransportCcFeedback feedback = new TransportCcFeedback();
    private final byte[] out = new byte[TransportCcFeedback.MAX_FEEDBACK_BYTES];
    private long nextNanos;
    long feedbacksSent;

    /** The offer with the extension and the feedback added to every section and codec. */
    static String addToOffer(String offer) {
        String mid = "a=extmap:4 " + HeaderExtensions.URI_MID + "\r\n";
        String withExt = offer.replace(mid, mid + "a=extmap:" + EXTENSION_ID + " " + HeaderExtensions.URI_TRANSPORT_CC + "\r\n");
        StringBuilder b = new StringBuilder();
        for (String line : withExt.split("\r\n")) {
            b.append(line).append("\r\n");
            if (line.startsWith("a=rtpmap:")) {
                String pt = line.substring("a=rtpmap:".length(), line.indexOf(' '));
                b.append("a=rtcp-fb:").append(pt).append(" transport-cc\r\n");
            }
        }
        return b.toString();
    }

    /** A decrypted RTP packet in {@code b[0, len)} arrived at {@code nowNanos}. */
    void onRtp(byte[] b, int len, long nowNanos) {
        if (len < 16 || (b[0] & 0x10) == 0) return;
        int csrcEnd = 12 + 4 * (b[0] & 0x0F);
        if (len < csrcEnd + 4 || (b[csrcEnd] & 0xFF) != 0xBE || (b[csrcEnd + 1] & 0xFF) != 0xDE) return;
        int end = Math.min(len, csrcEnd + 4 + 4 * ((b[csrcEnd + 2] & 0xFF) << 8 | (b[csrcEnd + 3] & 0xFF)));
        for (int i = csrcEnd + 4; i < end; ) {
            int h = b[i] & 0xFF;
            if (h == 0) {
                i++;
                continue;
            }
            int id = h >> 4;
            int size = (h & 0x0F) + 1;
            if (id == 15) return;
            if (id == EXTENSION_ID && size == 2 && i + 2 < end) {
                feedback.onPacket((b[i + 1] & 0xFF) << 8 | (b[i + 2] & 0xFF), nowNanos);
                return;
            }
            i += 1 + size;
        }
    }

    /** Writes the feedback that is due (plain RTCP, to be protected by the caller); 0 when none is. */
    int due(long nowNanos, long senderSsrc, long mediaSsrc) {
        if (nowNanos < nextNanos || !feedback.hasPending()) return 0;
        nextNanos = nowNanos + INTERVAL_MILLIS * 1_000_000L;
        feedbacksSent++;
        return feedback.write(out, 0, senderSsrc, mediaSsrc);
    }

    byte[] buffer() { return out; }
}
