/**
 * One channel's viewers spread over every media worker: a {@link live.cascade.sfu.spread.ChannelSpread} gives each
 * worker other than the channel's own a relay router, fed through a {@link live.cascade.sfu.spread.WorkerPipe}
 * (two single-producer, single-consumer {@link live.cascade.sfu.spread.PacketRing}s: packets one way, RTCP back),
 * so a packet crosses to each worker once and each worker fans out to its own viewers. See docs/threading.md.
 */
package live.cascade.sfu.spread;
