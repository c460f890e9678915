package live.cascade.sfu.rtcp;

/** One RTCP reception report block (RFC 3550 §6.4.1) as a value. */
public record ReportBlock(long ssrc, int fractionLost, int cumulativeLost, long extendedHighestSequence,
                          long jitter, long lastSr, long delaySinceLastSr) {}
