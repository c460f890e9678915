package live.cascade.sfu.receive;

import live.cascade.sfu.rtp.RtpHeader;

/**
 * Stage {@link Stage#DEMUX}: the track a packet belongs to, by SSRC, else (simulcast layers) the rid extension for
 * media and repaired-rid for RTX, else the mid extension, else the payload type (learning the SSRC from all but the
 * first), and whether it is the track's media or its RTX stream. Simulcast layers share their m-section's mid and
 * payload types, so only their rid tells them apart: the mid and payload-type fallbacks never pick a layer.
 */
public final class TrackDemux {
    private static final int S = Stage.DEMUX.ordinal();
    private final StageCounters counters;
    private final DropCounters drops;
    private final PublisherTrack[] tracks;
    private boolean rtx;

    public TrackDemux(StageCounters counters, DropCounters drops, PublisherTrack[] tracks) {
        this.counters = counters;
        this.drops = drops;
        this.tracks = tracks;
    }

    /** The packet's track, or null (counted) for an unknown stream or payload type; then see {@link #isRtx}. */
    public PublisherTrack route(RtpHeader h, int len) {
        PublisherTrack t = trackFor(h);
        if (t == null) {
            reject(RouterDrop.UNKNOWN_SSRC);
            return null;
        }
        t.wireBytes += len;
        // RFC 4588 RTX needs its own SSRC: the RTX payload type on the media SSRC is not a stream we know.
        boolean mediaSsrc = t.ssrcKnown && h.ssrc() == t.ssrc;
        if (mediaSsrc && h.payloadType() == t.payloadType) {
            rtx = false;
        } else if (!mediaSsrc && h.payloadType() == t.rtxPayloadType) {
            rtx = true;
        } else {
            reject(RouterDrop.UNKNOWN_PAYLOAD_TYPE);
            return null;
        }
        return t;
    }

    /** Whether the packet {@link #route} returned last is RTX. */
    public boolean isRtx() { return rtx; }

    private void reject(RouterDrop reason) {
        counters.drop(S);
        drops.add(reason);
    }

    private PublisherTrack trackFor(RtpHeader h) {
        long ssrc = h.ssrc();
        for (PublisherTrack t : tracks) {
            if (t.ssrcKnown && t.ssrc == ssrc) return t;
            if (t.rtxSsrcKnown && t.rtxSsrc == ssrc) return t;
        }
        int pt = h.payloadType();
        for (PublisherTrack t : tracks) {
            if (t.ridBytes == null) continue;
            if (pt == t.payloadType && !t.ssrcKnown && t.ridExtensionId != 0
                    && h.extensionEquals(t.ridExtensionId, t.ridBytes)) return learn(t, ssrc);
            if (pt == t.rtxPayloadType && !t.rtxSsrcKnown && t.repairedRidExtensionId != 0
                    && h.extensionEquals(t.repairedRidExtensionId, t.ridBytes)) return learnRtx(t, ssrc);
        }
        for (PublisherTrack t : tracks) {
            if (t.ridBytes != null) continue;
            if (t.midExtensionId != 0 && h.extensionEquals(t.midExtensionId, t.midBytes)) {
                if (pt == t.rtxPayloadType) return learnRtx(t, ssrc);
                if (!t.ssrcKnown) return learn(t, ssrc);
                // The mid names a track whose SSRC is known and different: not a stream we were told about.
                return null;
            }
        }
        // No usable mid (not negotiated, or only in early packets that were lost): fall back to the payload type.
        for (PublisherTrack t : tracks) {
            if (t.ridBytes != null) continue;
            if (!t.ssrcKnown && pt == t.payloadType) return learn(t, ssrc);
            if (!t.rtxSsrcKnown && pt == t.rtxPayloadType) return learnRtx(t, ssrc);
        }
        return null;
    }

    private static PublisherTrack learn(PublisherTrack t, long ssrc) {
        t.ssrc = ssrc;
        t.ssrcKnown = true;
        return t;
    }

    private static PublisherTrack learnRtx(PublisherTrack t, long ssrc) {
        t.rtxSsrc = ssrc;
        t.rtxSsrcKnown = true;
        return t;
    }
}
