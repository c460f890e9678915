package live.cascade.sfu.receive;

import java.util.Locale;

/**
 * The receive pipeline's stages, in the order a publisher packet meets them. Each has an in, out and drop counter
 * ({@link StageCounters}); {@link #label()} is the bounded {@code stage} label of the exported metric.
 */
public enum Stage {
    /** Header validation and the size limit. */
    PARSE,
    /** Which track a packet belongs to (SSRC, else mid, else payload type), learning SSRCs; media or RTX. */
    DEMUX,
    /** RFC 4588 RTX restored into the original packet; padding-only probes end here. */
    RTX_REPAIR,
    /** The extended sequence number; duplicates and packets older than the history end here. */
    DUPLICATE_FILTER,
    /** Gaps noted for NACKs, repairs recognised. */
    LOSS_TRACKING,
    /** The packet stored in the track's history; receive statistics and frame counting. */
    HISTORY,
    /** Keyframe start detection, the GOP cache's bookkeeping and the picture size. */
    KEYFRAME_PROBE,
    /** Every viewer consumer and sink of the track: out counts the copies handed on. */
    FAN_OUT;

    static final Stage[] VALUES = values();

    private final String label = name().toLowerCase(Locale.ROOT);

    public String label() { return label; }
}
