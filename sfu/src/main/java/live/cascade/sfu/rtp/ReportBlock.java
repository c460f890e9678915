package live.cascade.sfu.rtp;

/** One RTCP reception report block (RFC 3550 §6.4.1) as a value. */
public record ReportBlock(long ssrc, int fractionLost, int cumulativeLost, long extendedHighestSequence,
                          long jitter, long lastSr, long delaySinceLastSr) {}
