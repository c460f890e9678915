package live.cascade.ingest;

import live.cascade.signaling.session.ChannelRef;

/**
 * Whether a stream key may go live now, by the same rules as WHIP (the key names a channel, the channel and its owner
 * are not suspended, the owner's broadcast quota allows one more). The api module implements it over the database;
 * it may block, so callers ask it off their event loop.
 */
@FunctionalInterface
public interface IngestGate {
    Admission admit(String streamKey);

    /** The answer: a channel to publish to, or why not. */
    sealed interface Admission permits Admitted, Refused {}

    record Admitted(ChannelRef channel) implements Admission {}

    /**
     * @param reason what the refusal counts as in {@code /metrics}
     * @param detail what the creator is told (in RTMP: the onStatus description)
     */
    record Refused(Reason reason, String detail) implements Admission {}

    /** Why a publish was refused; {@code NOT_ALLOWED}: the channel may not go live yet (e.g. its owner's address unverified). */
    enum Reason { UNKNOWN_KEY, SUSPENDED, NOT_ALLOWED, QUOTA, NODE_FULL }
}
