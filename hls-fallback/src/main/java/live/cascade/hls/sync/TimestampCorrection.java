package live.cascade.hls.sync;

import java.util.Locale;

/**
 * Why a media timestamp was corrected before it reached a muxer: a closed set, so that the {@code reason} label of
 * {@code cascade_media_timestamp_corrections_total} stays bounded.
 */
public enum TimestampCorrection {
    /** The same timestamp as the track's previous frame: audio dropped, video nudged forward. */
    DUPLICATE("repeated its previous timestamp"),
    /** A step back within the jump threshold: audio dropped, video nudged forward. */
    BACKWARD_STEP("stepped back in time"),
    /** A step forward beyond the jump threshold that the common clock does not confirm: re-anchored. */
    JUMP_FORWARD("jumped forward"),
    /** A step back beyond the jump threshold: re-anchored. */
    JUMP_BACKWARD("jumped back"),
    /** The track's clock drifted from the sender reports' by more than the threshold: re-anchored on the reports. */
    DRIFT("drifted from the sender reports"),
    /** A reconnected publisher's new stream (new timestamp base), continued after the last frame. */
    NEW_TIMESTAMP_BASE("started over on a new timestamp base (reconnect)");

    private final String description;

    TimestampCorrection(String description) { this.description = description; }

    /** The metric label, e.g. {@code jump_backward}. */
    public String label() { return name().toLowerCase(Locale.ROOT); }

    /** What happened, for a log line: "audio timestamps repeated its previous timestamp". */
    public String description() { return description; }
}
