package live.cascade.sfu.routing;

import live.cascade.sfu.receive.PublisherTrack;

/** The stats records of a publisher track (allocating; from the worker, never per packet). */
final class Snapshots {
    private Snapshots() {}

    static TrackStats track(PublisherTrack t) {
        return new TrackStats(t.kind, t.mid, t.ssrcKnown ? t.ssrc : 0, t.packets, t.bytes, t.lastSeenNanos,
                t.gop.keyframes(), t.receive.cumulativeLost(), t.receive.jitter(), t.rtxPackets,
                t.keyframeRequestsSent, t.nack.requestedCount(), t.packetsRecovered, t.duplicatePackets);
    }

    static IngestTrackStats ingest(PublisherTrack t, long now) {
        long kfi = t.gop.keyframeIntervalNanos();
        return new IngestTrackStats(t.kind, t.mid, t.format.name(), t.clockRate, t.ssrcKnown ? t.ssrc : 0, t.bitrate,
                t.frameRate, kfi < 0 ? -1 : kfi / 1_000_000L, t.gop.keyframes(), t.lossFraction,
                t.receive.cumulativeLost(), t.packetsRecovered, t.nack.requestedCount(),
                t.receive.jitter() * 1000.0 / t.clockRate, t.width, t.height,
                t.lastSeenNanos < 0 ? -1 : (now - t.lastSeenNanos) / 1_000_000L, t.keyframeRequestsSent, t.rid,
                t.mediaBitrate);
    }
}
