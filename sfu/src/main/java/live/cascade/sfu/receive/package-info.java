/**
 * The receive pipeline's stages and the per-track state they work on. In the order a publisher packet meets them
 * ({@link live.cascade.sfu.receive.Stage}): {@link live.cascade.sfu.receive.HeaderCheck},
 * {@link live.cascade.sfu.receive.TrackDemux}, {@link live.cascade.sfu.receive.RtxRepair} (RTX only),
 * {@link live.cascade.sfu.receive.DuplicateFilter}, {@link live.cascade.sfu.receive.LossTracker},
 * {@link live.cascade.sfu.receive.HistoryWriter}, {@link live.cascade.sfu.receive.KeyframeProbe}; the router's
 * {@code ReceivePath} calls them in that order and hands the packet to its fan-out. Each stage has in, out and drop
 * figures in the router's {@link live.cascade.sfu.receive.StageCounters} (stages count their drops; ins and outs
 * follow from the order), which the tick adds to the process-wide {@link live.cascade.sfu.receive.StageTotals}
 * ({@code /metrics}).
 *
 * <p>The state: {@link live.cascade.sfu.receive.PublisherTrack} (one slot per publisher m-section), its packet history
 * (NACK answers, duplicate detection, GOP cache), the GOP cache's bookkeeping, loss tracking for NACKs and RFC 3550
 * receive statistics. Nothing here knows the router; everything runs on the router's worker thread and allocates
 * nothing per packet.
 */
package live.cascade.sfu.receive;
