package live.cascade.hls.layers;

/**
 * Places a simulcast layer's frames on the tap's timeline. The tap's timeline is made from one stream, the
 * <em>reference</em> (the layer the router hands every sink, under its own SSRC and timestamps); each layer has its own
 * SSRC and its own random RTP timestamp origin. The publisher's sender reports tie every stream's RTP clock to one wall
 * clock (NTP), and a browser stamps each layer's copy of a captured picture with the same capture time, so a layer's
 * timestamp maps to the reference's through the two reports; it is then snapped to the reference frame it lands on
 * (within just under half the reference's frame interval, between 8 and 16.7 ms: see {@link #snapTicks}), so the
 * layers' frames of one picture get exactly the same presentation time.
 *
 * <p>Reports are only as exact as the publisher's clocks (Chromium's put a layer 8 ms, and once in a loaded CI run
 * 12 ms, off the reference on a busy machine), but a layer's timestamps and the reference's differ by a constant: both
 * count the same capture clock at 90 kHz. So once {@link #LOCK_AFTER} frames in a row snapped at the same exact difference, the layer is
 * <em>locked</em>: its frames are matched to the reference frame with exactly that timestamp, whatever the reports say.
 * A locked layer whose frames stop matching ({@link #UNLOCK_AFTER} in a row: the router's stream moved to another
 * layer and got a new timestamp offset) goes back to the reports.
 *
 * <p>Timestamps here are RTP's 32 bits; differences are taken modulo 2^32 (streams are compared within seconds of each
 * other). One instance per broadcast, on the tap's thread.
 */
public final class LayerClock {
    /** The answer of {@link #place} when the frame cannot be placed yet: no reports, or the reference is not there yet. */
    public static final long NOT_YET = Long.MIN_VALUE;
    /**
     * The snap window's floor and ceiling: 8 ms is half a frame interval at 60 fps, 16.7 ms at 30 fps. Sender reports
     * carry the capture clock in milliseconds at best, and Chromium's have put a layer 3, 8 and 12 ms off the
     * reference; a fixed 8 ms left a layer 12 ms off unlocked and placed by its reports for good.
     */
    static final int MIN_SNAP_TICKS = 720;
    static final int MAX_SNAP_TICKS = 1500;
    private static final int RING = 128;
    static final int LOCK_AFTER = 3;
    static final int UNLOCK_AFTER = 3;
    private static final int STALE_AHEAD_TICKS = 90_000;

    private final long[] refTs = new long[RING];
    private final long[] refPts = new long[RING];
    private int count;
    private int next;
    private boolean refReport;
    private long refNtp;
    private long refRtp;
    private final boolean[] layerReport;
    private final long[] layerNtp;
    private final long[] layerRtp;
    private final boolean[] locked;
    private final long[] exact;
    private final int[] agreeing;
    private final int[] misses;
    private long matched;
    private long snapped;
    private long extrapolated;
    private int worstSnapTicks;
    /** The reference's frame interval (90 kHz ticks), smoothed; 0 until two frames came. */
    private int intervalTicks;

    public LayerClock(int layers) {
        layerReport = new boolean[layers];
        layerNtp = new long[layers];
        layerRtp = new long[layers];
        locked = new boolean[layers];
        exact = new long[layers];
        agreeing = new int[layers];
        misses = new int[layers];
    }

    /** A frame of the reference stream, at RTP timestamp {@code rtp} (any width: the low 32 bits count), is at {@code ptsMicros}. */
    public void reference(long rtp, long ptsMicros) {
        long ts = rtp & 0xFFFF_FFFFL;
        if (count > 0) {
            int delta = diff(ts, refTs[(next - 1 + RING) % RING]);
            if (delta > 0 && delta <= 9_000) intervalTicks = intervalTicks == 0 ? delta : intervalTicks + (delta - intervalTicks) / 8;
        }
        refTs[next] = ts;
        refPts[next] = ptsMicros;
        next = (next + 1) % RING;
        if (count < RING) count++;
    }

    /** The reference stream's sender report (64-bit NTP, 32-bit RTP). */
    public void referenceReport(long ntp, long rtp) {
        refReport = true;
        refNtp = ntp;
        refRtp = rtp & 0xFFFF_FFFFL;
    }

    /** Layer {@code layer}'s sender report. */
    public void layerReport(int layer, long ntp, long rtp) {
        layerReport[layer] = true;
        layerNtp[layer] = ntp;
        layerRtp[layer] = rtp & 0xFFFF_FFFFL;
    }

    /** True once both the reference's and this layer's reports have come. */
    public boolean canPlace(int layer) { return refReport && layerReport[layer]; }

    /**
     * The timeline position (µs) of layer {@code layer}'s frame at RTP timestamp {@code rtp}, or {@link #NOT_YET}
     * when a report is missing or the reference has not reached that picture yet (ask again later).
     */
    public long place(int layer, long rtp) {
        if (count == 0) return NOT_YET;
        int newest = (next - 1 + RING) % RING;
        if (locked[layer]) {
            long onReference = (rtp + exact[layer]) & 0xFFFF_FFFFL;
            int ahead = diff(onReference, refTs[newest]);
            // Ahead by more than a second, a locked layer's offset has gone stale (a new one would never match).
            if (ahead > 0 && ahead <= STALE_AHEAD_TICKS) return NOT_YET;
            int at = ahead > 0 ? -1 : find(onReference, newest);
            if (at >= 0) {
                misses[layer] = 0;
                matched++;
                return refPts[at];
            }
            if (++misses[layer] >= UNLOCK_AFTER) {
                locked[layer] = false;
                agreeing[layer] = 0;
            } else {
                return byDistance(onReference, newest); // a picture the reference does not have
            }
        }
        if (!canPlace(layer)) return NOT_YET;
        long onReference = toReference(layer, rtp);
        int snap = snapTicks();
        if (diff(onReference, refTs[newest]) > snap) return NOT_YET;
        int best = nearest(onReference, newest);
        int distance = Math.abs(diff(onReference, refTs[best]));
        if (distance > snap) {
            agreeing[layer] = 0;
            return byDistance(onReference, newest);
        }
        long offset = (refTs[best] - rtp) & 0xFFFF_FFFFL;
        if (agreeing[layer] > 0 && offset == exact[layer]) agreeing[layer]++;
        else agreeing[layer] = 1;
        exact[layer] = offset;
        if (agreeing[layer] >= LOCK_AFTER) {
            locked[layer] = true;
            misses[layer] = 0;
        }
        snapped++;
        worstSnapTicks = Math.max(worstSnapTicks, distance);
        return refPts[best];
    }

    /**
     * How far from a reference frame a layer's frame mapped through the reports may land and still be that picture:
     * just under half the reference's frame interval (the neighbouring pictures are then further), within
     * {@link #MIN_SNAP_TICKS} and {@link #MAX_SNAP_TICKS}.
     */
    int snapTicks() {
        return Math.clamp(intervalTicks / 2 - 1, MIN_SNAP_TICKS, MAX_SNAP_TICKS);
    }

    /** The ring entry with exactly this timestamp, or -1. */
    private int find(long ts, int newest) {
        for (int k = 0, i = newest; k < count; k++, i = (i - 1 + RING) % RING) if (refTs[i] == ts) return i;
        return -1;
    }

    private int nearest(long ts, int newest) {
        int best = newest;
        int bestDistance = Integer.MAX_VALUE;
        for (int k = 0, i = newest; k < count; k++, i = (i - 1 + RING) % RING) {
            int d = Math.abs(diff(ts, refTs[i]));
            if (d < bestDistance) {
                bestDistance = d;
                best = i;
            }
            if (d == 0) break;
        }
        return best;
    }

    /** No reference frame of that picture (the reference skipped it): the same distance from the nearest one. */
    private long byDistance(long ts, int newest) {
        extrapolated++;
        int best = nearest(ts, newest);
        return refPts[best] + diff(ts, refTs[best]) * 100L / 9;
    }

    /** The RTP timestamp on the reference's clock of the layer's {@code rtp}: the same NTP instant by both reports. */
    long toReference(int layer, long rtp) {
        long ntpDelta = layerNtp[layer] - refNtp; // 2^-32 s units
        long ticks = Math.round(ntpDelta * 90_000.0 / 4_294_967_296.0);
        return (refRtp + ticks + diff(rtp, layerRtp[layer])) & 0xFFFF_FFFFL;
    }

    /** {@code a - b} of two 32-bit RTP timestamps, signed. */
    static int diff(long a, long b) { return (int) ((a - b) & 0xFFFF_FFFFL); }

    /** A new publisher: new streams, new reports. */
    public void reset() {
        count = 0;
        next = 0;
        intervalTicks = 0;
        refReport = false;
        java.util.Arrays.fill(layerReport, false);
        java.util.Arrays.fill(locked, false);
        java.util.Arrays.fill(agreeing, 0);
    }

    /** Frames of a locked layer placed on the reference frame with exactly their timestamp. */
    public long matched() { return matched; }

    /** Frames placed on the reference frame nearest to where the reports put them. */
    public long snapped() { return snapped; }

    public boolean locked(int layer) { return locked[layer]; }

    /** Frames with no reference frame of their picture, placed by distance. */
    public long extrapolated() { return extrapolated; }

    /** The largest distance (90 kHz ticks) between a layer's mapped timestamp and the reference frame it was snapped to. */
    public int worstSnapTicks() { return worstSnapTicks; }
}
