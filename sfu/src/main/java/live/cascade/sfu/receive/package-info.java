/**
 * Per-track receive state of a publisher's stream: the packet history (NACK answers, duplicate detection, GOP
 * cache), the GOP cache's bookkeeping, loss tracking for NACKs and RFC 3550 receive statistics.
 */
package live.cascade.sfu.receive;
