package live.cascade.sfu.routing;

/**
 * The bandwidth estimation and pacing toward one viewer at one moment.
 *
 * @param bitsPerSecond      the estimate (-1 unknown): transport-cc based when {@code transportCc}, else the REMB
 * @param delayBased         the delay-based part alone
 * @param ackedBitsPerSecond what the viewer reported receiving, -1 before enough feedback
 * @param lossFraction       the loss of the last closed loss window (0..1)
 * @param transportCc        whether the viewer sends transport-cc feedback
 * @param probes             probe clusters started
 * @param paddingPackets     padding packets sent for them
 * @param pacerDrops         packets the pacer dropped because its queue was full
 * @param pacerQueue         packets waiting in the pacer now
 */
public record ViewerBweStats(long bitsPerSecond, long delayBased, long ackedBitsPerSecond, double lossFraction,
                             boolean transportCc, long probes, long paddingPackets, long pacerDrops, int pacerQueue) {}
