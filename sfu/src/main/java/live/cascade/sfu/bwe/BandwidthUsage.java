package live.cascade.sfu.bwe;

/** What the overuse detector concludes from the delay trend. */
public enum BandwidthUsage {
    /** Queues are stable: the rate may grow. */
    NORMAL,
    /** Queues grow: the rate must drop. */
    OVERUSING,
    /** Queues drain: hold the rate until they are empty. */
    UNDERUSING
}
