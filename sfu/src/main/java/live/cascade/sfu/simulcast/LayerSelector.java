package live.cascade.sfu.simulcast;

import live.cascade.sfu.receive.PublisherTrack;

/**
 * One viewer video track's choice among a {@link LayerGroup}'s layers, made on the router's tick. The highest
 * layer whose measured media bitrate (without the publisher's padding and RTX; its peak over the last seconds, see
 * {@link LayerGroup#fitBitrateOf}), with {@link #HEADROOM}, fits the viewer's {@link BandwidthEstimate}; the lowest when
 * none fits; the top one when the estimate is unknown. Down at once (the next tick after the estimate drops below
 * {@link #KEEP_FRACTION} of the current layer's bitrate: up and down thresholds differ, so one cut does not flap), up only
 * after a higher layer has fitted with headroom and the estimate has then carried it (without headroom) for
 * {@code upHoldNanos}, so an estimate that wobbles around a layer's rate does not flap; meanwhile the sender holds the
 * higher layer's rate on the path ({@link #upHoldRate}), so the estimate that grants the move has carried it. When a
 * still higher layer comes to fit during the hold, the hold goes on toward it: that layer's own rate is then tried for
 * a third of the hold at least, not the whole hold again (a viewer coming back from the lowest layer would otherwise
 * sit out one hold per layer). A pinned layer (the WHEP layer extension) overrides the estimate while it is active;
 * a maximum height caps the choice. A layer the publisher paused because nobody consumed it counts as
 * {@link LayerGroup#available available} at the bitrate it had: choosing it is what brings it back. Owned by the media worker; allocates nothing.
 *
 * <p>The choice is only the wish: the switch itself happens at the target layer's next keyframe (see the router's
 * track consumer), so the player always gets a decodable stream.
 */
public final class LayerSelector {
    /** A layer fits when its bitrate times this is within the estimate: room for bursts and retransmissions. */
    public static final double HEADROOM = 1.25;
    /** The layer being sent stays while its bitrate times this is within the estimate (going up needs {@link #HEADROOM}). */
    public static final double KEEP_FRACTION = 0.8;
    /** How far above a layer's fitting rate probes aim, so the measured result clears it. */
    public static final double PROBE_MARGIN = 1.15;
    /**
     * How long a move up is held at the higher rate before it is made. The estimator's token-bucket simulation calls a
     * held move off behind a 600 kbit/s shaper within 1 s (20 seeds; a 0.5 s hold let every one through), so 2 s
     * leaves a margin for a real receiver's slower feedback; 3 s made a viewer's way back up a second longer.
     */
    public static final long DEFAULT_UP_HOLD_NANOS = 2_000_000_000L;
    /** A candidate that replaced another mid-hold is tried at its own rate for at least the hold over this. */
    static final int CANDIDATE_HOLD_DIVISOR = 3;

    private final long upHoldNanos;
    private int maxHeight;
    private String pinnedRid;
    private PublisherTrack upCandidate;
    private long upSinceNanos;
    private long candidateSinceNanos;

    public LayerSelector() { this(DEFAULT_UP_HOLD_NANOS); }

    public LayerSelector(long upHoldNanos) { this.upHoldNanos = upHoldNanos; }

    /** Caps the choice to layers at most this tall (0: no cap). A cap below every layer leaves the lowest. */
    public void maxHeight(int height) { this.maxHeight = Math.max(0, height); }

    public int maxHeight() { return maxHeight; }

    /** Pins the layer with this rid; null goes back to automatic choice. */
    public void pin(String rid) {
        this.pinnedRid = rid;
        this.upCandidate = null;
    }

    public String pinned() { return pinnedRid; }

    /**
     * The layer this viewer should be on now, given the one it is on ({@code current}, may be null before any) and
     * the estimate in bits per second ({@link BandwidthEstimate#UNKNOWN} when none).
     */
    public PublisherTrack choose(LayerGroup group, PublisherTrack current, long bitsPerSecond, long now) {
        if (pinnedRid != null) {
            PublisherTrack p = group.byRid(pinnedRid);
            if (p != null && group.available(p, now)) {
                upCandidate = null;
                return p;
            }
        }
        PublisherTrack wanted = fitting(group, bitsPerSecond, now);
        // Without an estimate there is nothing to be cautious about: the top layer the cap allows.
        if (current == null || bitsPerSecond < 0 || !group.contains(current) || !group.available(current, now)) {
            upCandidate = null;
            return wanted;
        }
        if (upCandidate == current || upCandidate != null && !group.contains(upCandidate)) upCandidate = null;
        int wantedRank = group.rankOf(wanted);
        int currentRank = group.rankOf(current);
        if (wantedRank > currentRank) { // down: at once, unless the current layer still keeps
            upCandidate = null;
            return keeps(group, current, bitsPerSecond) ? current : wanted;
        }
        if (wantedRank < currentRank) {
            if (upCandidate == null) {
                upCandidate = wanted;
                upSinceNanos = candidateSinceNanos = now;
            } else if (upCandidate != wanted && (wantedRank < group.rankOf(upCandidate)
                    || !stillHeld(group, upCandidate, bitsPerSecond) || overCap(upCandidate))) {
                // A higher layer now fits (or the held one no longer does but one above the current still does): the
                // path has carried more than the current layer since upSince, so only the new rate needs a shorter try.
                upCandidate = wanted;
                candidateSinceNanos = now;
            }
        } else if (upCandidate != null && (!stillHeld(group, upCandidate, bitsPerSecond) || overCap(upCandidate))) {
            upCandidate = null;
        }
        if (upCandidate == null) return current;
        // Granted once something above has fitted long enough and the candidate's own rate has been tried; it stays
        // granted (the switch waits for a keyframe) while it is held.
        return now - upSinceNanos >= upHoldNanos && now - candidateSinceNanos >= upHoldNanos / CANDIDATE_HOLD_DIVISOR
                ? upCandidate : current;
    }

    /** Whether the viewer's cap (its player's size, set during a hold too) rules {@code t} out. */
    private boolean overCap(PublisherTrack t) {
        return maxHeight > 0 && t.height > maxHeight;
    }

    /**
     * Whether a move up under way goes on: the estimate still carries the candidate's rate, without the headroom a
     * new move asks for. The fitting rate is a peak over seconds and moves with the picture, so asking the full
     * headroom all through the hold restarts it on every wobble of either figure.
     */
    private static boolean stillHeld(LayerGroup group, PublisherTrack candidate, long bitsPerSecond) {
        long bitrate = group.fitBitrateOf(candidate);
        return bitrate >= 0 && bitrate <= bitsPerSecond;
    }

    /**
     * While a move up is held (or granted and waiting for its keyframe): the rate the path should carry meanwhile
     * (with padding), so the estimate that grants the move has been tried at it; -1 when no move up is under way.
     * That is the candidate's bitrate with {@link #HEADROOM}, except in the first two thirds of a hold toward a layer
     * two or more above {@code current}: then the next layer up's. Probes pass a token-bucket shaper at line rate, so
     * a path that carries neither layer learns so from the hold's padding, and padding at the top layer's rate built
     * a queue twice as fast: a traced 600 kbit/s viewer held the top layer's 1.75 Mbit/s and its packets waited
     * 600 ms (Chromium then dropped late frames). The last third still carries the candidate's full rate.
     */
    public long upHoldRate(LayerGroup group, PublisherTrack current, long now) {
        if (upCandidate == null) return -1;
        PublisherTrack held = upCandidate;
        if (current != null && group.contains(current) && now - upSinceNanos < upHoldNanos - upHoldNanos / CANDIDATE_HOLD_DIVISOR) {
            for (int i = group.rankOf(current) - 1; i > group.rankOf(upCandidate); i--) {
                PublisherTrack t = group.ranked(i);
                if (!group.available(t, now) || overCap(t) || group.fitBitrateOf(t) < 0) continue;
                held = t;
                break;
            }
        }
        long bitrate = group.fitBitrateOf(held);
        return bitrate < 0 ? -1 : (long) (bitrate * HEADROOM);
    }

    /**
     * The rate a send-side estimator should probe toward so this viewer can move up from {@code current}: the best
     * allowed, available, measured layer above it (probing climbs in steps anyway, and stops where the path does; aiming
     * only at the next layer would make each layer a probe-and-hold round of its own), times {@link #HEADROOM} (what {@link #choose} asks of the estimate)
     * and {@link #PROBE_MARGIN} (a probe measures a little under its target). With a pinned layer, that layer's rate
     * the same way: the pin is served whatever the estimate, and probing toward it lets the estimate learn whether the
     * path carries it (so the pacer's and the next automatic choice's view of the path catch up). -1 when there is
     * nothing to move up to: the top allowed layer, or no measured layer above.
     */
    public long probeTarget(LayerGroup group, PublisherTrack current, long now) {
        if (current == null || !group.contains(current)) return -1;
        if (pinnedRid != null) {
            PublisherTrack p = group.byRid(pinnedRid);
            if (p != null && group.available(p, now)) return withHeadroom(group.fitBitrateOf(p));
        }
        for (int i = 0, end = group.rankOf(current); i < end; i++) {
            PublisherTrack t = group.ranked(i);
            if (!group.available(t, now) || maxHeight > 0 && t.height > maxHeight) continue;
            return withHeadroom(group.fitBitrateOf(t));
        }
        return -1;
    }

    private static long withHeadroom(long bitrate) {
        return bitrate < 0 ? -1 : (long) (bitrate * HEADROOM * PROBE_MARGIN);
    }

    /**
     * Whether the layer being sent may stay although it no longer fits with headroom: allowed by the cap, measured,
     * and within the estimate at {@link #KEEP_FRACTION} of its bitrate. A send-side estimate of an app-limited
     * stream sits near what the stream uses, and one overuse cut (0.85 x the acknowledged rate, a jittery host is
     * enough) would otherwise drop a viewer with plenty of room a layer; a real shortfall falls well below this.
     */
    private boolean keeps(LayerGroup group, PublisherTrack current, long bitsPerSecond) {
        long bitrate = group.bitrateOf(current);
        if (maxHeight > 0 && current.height > maxHeight || bitrate < 0) return false;
        return bitrate * KEEP_FRACTION <= bitsPerSecond;
    }

    /** The best allowed layer that fits the estimate, else the lowest allowed one. */
    private PublisherTrack fitting(LayerGroup group, long bitsPerSecond, long now) {
        PublisherTrack lowest = null;
        for (int i = 0; i < group.size(); i++) {
            PublisherTrack t = group.ranked(i);
            if (!group.available(t, now) && lowest != null) break; // unavailable ones rank last
            if (maxHeight > 0 && t.height > maxHeight) continue;
            lowest = t;
            long bitrate = group.fitBitrateOf(t);
            if (bitsPerSecond < 0 || bitrate < 0 || bitrate * HEADROOM <= bitsPerSecond) return t;
        }
        if (lowest != null) return lowest;
        // Nothing under the cap is measured yet: the smallest layer is the cap's best guess.
        return group.ranked(group.size() - 1);
    }
}
