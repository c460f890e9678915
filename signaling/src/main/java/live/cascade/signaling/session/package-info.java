/**
 * The life of WHIP and WHEP sessions: one broadcast per live channel (its router on one media worker), the
 * publisher that feeds it, the viewers it feeds, the grace period after a publisher vanishes, and the events the
 * rest of the node records. Driven by SDP text in, SDP text out; knows nothing of HTTP or SQL.
 */
package live.cascade.signaling.session;
