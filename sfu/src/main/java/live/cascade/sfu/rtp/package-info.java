/**
 * RTP and RTCP on plain {@code byte[]}: zero-allocation views and parsers that report malformed input as named status
 * codes (never exceptions), writers for the RTCP we send, wrap-aware sequence/timestamp arithmetic, keyframe
 * detection, receive statistics (RFC 3550) and the per-viewer {@link live.cascade.sfu.rtp.RtpRewriter}.
 *
 * <p>Everything here is single-threaded: a view or rewriter belongs to one media worker thread. Views are mutable and
 * reused; their accessors are meaningful only after {@code parse} returned {@code OK}.
 */
package live.cascade.sfu.rtp;
