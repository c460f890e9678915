package live.cascade.hls;

/**
 * How one live broadcast's recording is doing, for the creator's studio and stream health: a snapshot, safe to read
 * from any thread.
 *
 * @param phase                {@link Phase#WAITING} for the first keyframe, {@link Phase#RECORDING},
 *                             {@link Phase#STOPPED} (see {@code error}), or {@link Phase#OFF} on a node that does not record
 * @param recoveries           times the recording had to continue in a new part (its muxer kept refusing packets)
 * @param droppedPackets       packets the muxer refused, dropped
 * @param error                why it stopped, or null
 * @param lastRecovery         why it last had to start a new part, or null
 * @param timestampCorrections media timestamps corrected before the muxers during this broadcast
 */
public record RecordingState(Phase phase, int recoveries, long droppedPackets, String error, String lastRecovery,
                             long timestampCorrections) {
    public enum Phase { WAITING, RECORDING, STOPPED, OFF }
}
