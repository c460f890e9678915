/**
 * RTP on plain {@code byte[]}: the zero-allocation header view and its status codes, header extensions, big-endian
 * access, wrap-aware sequence/timestamp arithmetic, NTP time and RTX (RFC 4588) wrapping. Nothing here knows about
 * tracks, viewers or routers.
 *
 * <p>Everything here is single-threaded: a view belongs to one media worker thread. Views are mutable and reused;
 * their accessors are meaningful only after {@code parse} returned {@code OK}.
 */
package live.cascade.sfu.rtp;
