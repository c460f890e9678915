package live.cascade.sfu.receive;

import live.cascade.sfu.codec.Keyframes;

/**
 * The last group of pictures of one video stream: where its keyframe starts in the stream's {@link PacketHistory}.
 * The packets themselves stay in the history (preallocated, so the cache is bounded by the history's capacity); this
 * class only follows keyframes. A new viewer starts at {@link #startExt()} and is sent everything stored from there,
 * which decodes without waiting for the publisher's next keyframe — the point for publishers that ignore PLI.
 *
 * <p>A keyframe can span several "keyframe start" packets (H.264: SPS, then the IDR's first slice); they share one
 * RTP timestamp, so a start with the current keyframe's timestamp extends the keyframe backwards instead of starting
 * a new group. A start with another timestamp begins a new group. The cache cannot serve once the group has grown
 * past the history (its first packets were evicted).
 */
public final class GopCache {
    private boolean haveKeyframe;
    private long keyExt;
    private long keyTimestamp;
    private long keyframes;
    private long keyframeStartNanos = -1;
    private long previousKeyframeStartNanos = -1;

    public void reset() {
        haveKeyframe = false;
        keyExt = 0;
        keyTimestamp = 0;
        keyframeStartNanos = previousKeyframeStartNanos = -1;
    }

    /**
     * Follows one stored packet. Returns true when it started a new group of pictures.
     *
     * @param keyframeStart whether {@link Keyframes#isKeyframeStart} said so
     */
    public boolean onPacket(long ext, long timestamp, boolean keyframeStart, long nowNanos) {
        if (!keyframeStart) return false;
        if (haveKeyframe && timestamp == keyTimestamp) {
            if (ext < keyExt) keyExt = ext;
            return false;
        }
        if (haveKeyframe && ext < keyExt) return false; // a late start of an older keyframe
        haveKeyframe = true;
        keyExt = ext;
        keyTimestamp = timestamp;
        keyframes++;
        previousKeyframeStartNanos = keyframeStartNanos;
        keyframeStartNanos = nowNanos;
        return true;
    }

    /** True when a viewer can start at the cached keyframe: it and everything after it are still in {@code history}. */
    public boolean canServe(PacketHistory history) {
        return haveKeyframe && !history.isEmpty() && history.highest() - keyExt < history.capacity()
                && history.contains(keyExt);
    }

    public boolean hasKeyframe() { return haveKeyframe; }

    /** Extended sequence number of the cached keyframe's first packet. */
    public long startExt() { return keyExt; }

    public long keyframeTimestamp() { return keyTimestamp; }

    /** Keyframes (groups) seen. */
    public long keyframes() { return keyframes; }

    /** Time between the last two keyframes, -1 until two were seen. */
    public long keyframeIntervalNanos() {
        return previousKeyframeStartNanos < 0 ? -1 : keyframeStartNanos - previousKeyframeStartNanos;
    }

    public long lastKeyframeNanos() { return keyframeStartNanos; }
}
