package live.cascade.hls.sync;

import live.cascade.hls.RtpPacketizer;
import live.cascade.hls.rtp.OpusDepacketizer;
import live.cascade.hls.rtp.TrackAssembler;
import live.cascade.hls.rtp.Vp8Depacketizer;
import live.cascade.sfu.params.MediaKind;
import live.cascade.sfu.rtp.NtpTime;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * The front of a tap as the pipeline builds it, fed a recorded sequence: RTP packets with 32-bit timestamps (VP8
 * video at 90 kHz, Opus audio at 48 kHz) through the real {@link TrackAssembler}s (sequence order, timestamp
 * unwrapping), {@link AvSync} and the {@link TimestampSanitiser}; what comes out is what every muxer would get. Times
 * are in milliseconds of the publisher's wall clock (sender reports) and of arrival.
 */
final class TimingHarness {
    static final long EPOCH_NANOS = 1_780_000_000_000_000_000L;

    final TimestampCorrections node = new TimestampCorrections();
    final List<Long> video = new ArrayList<>();
    final List<Long> audio = new ArrayList<>();
    final TimestampSanitiser sanitiser;
    final AvSync sync;
    private final Map<MediaKind, TrackAssembler> assemblers = new EnumMap<>(MediaKind.class);
    private final Map<MediaKind, RtpPacketizer> packetizers = new EnumMap<>(MediaKind.class);

    TimingHarness(long jumpThresholdMillis) {
        sanitiser = new TimestampSanitiser("test", node, t -> (t.frame().kind() == MediaKind.VIDEO ? video : audio).add(t.ptsMicros()));
        sync = new AvSync(Map.of(MediaKind.VIDEO, 90_000, MediaKind.AUDIO, 48_000), 1_500_000_000L, jumpThresholdMillis * 1000,
                sanitiser, sanitiser);
        assemblers.put(MediaKind.VIDEO, new TrackAssembler(new Vp8Depacketizer(), 96, 80_000_000L));
        assemblers.put(MediaKind.AUDIO, new TrackAssembler(new OpusDepacketizer(), 111, 80_000_000L));
        assemblers.values().forEach(a -> a.setOutput(sync::onFrame));
        packetizers.put(MediaKind.VIDEO, new RtpPacketizer(96, 0x1111, 1000, 0));
        packetizers.put(MediaKind.AUDIO, new RtpPacketizer(111, 0x2222, 5000, 0));
    }

    /** A one-packet VP8 frame with 32-bit RTP timestamp {@code ts}, arriving at {@code arrivalMillis}. */
    void video(long ts, double arrivalMillis) {
        byte[] vp8 = {0x10, 0x00, 0x00, 0x00, 0x00}; // descriptor S=1, then a key frame header (P bit 0)
        rtp(MediaKind.VIDEO, ts, vp8, arrivalMillis);
    }

    /** A one-packet Opus frame. */
    void audio(long ts, double arrivalMillis) {
        rtp(MediaKind.AUDIO, ts, new byte[]{(byte) 0xFC, 1, 2}, arrivalMillis);
    }

    private void rtp(MediaKind kind, long ts, byte[] payload, double arrivalMillis) {
        byte[] p = packetizers.get(kind).packet(ts & 0xFFFF_FFFFL, true, payload);
        long now = nanos(arrivalMillis);
        assemblers.get(kind).onRtp(p, 0, p.length, now);
        sync.poll(now);
    }

    /** A sender report: the track's RTP clock read {@code ts} at {@code wallMillis} of the publisher's clock. */
    void report(MediaKind kind, double wallMillis, long ts, double arrivalMillis) {
        TrackAssembler a = assemblers.get(kind);
        if (!a.hasTimestamps()) return;
        // As TapPipeline.onSenderReport does.
        sync.onSenderReport(kind, NtpTime.fromEpochNanos(EPOCH_NANOS + nanos(wallMillis)), a.extendTimestamp(ts & 0xFFFF_FFFFL),
                a.latestTimestamp(), nanos(arrivalMillis));
    }

    /** The publisher reconnected (as TapPipeline.onPublisherAttached does): new streams, continued after the last frame. */
    void reconnect(long gapMicros) {
        assemblers.values().forEach(TrackAssembler::restart);
        packetizers.put(MediaKind.VIDEO, new RtpPacketizer(96, 0x3333, 40_000, 0));
        packetizers.put(MediaKind.AUDIO, new RtpPacketizer(111, 0x4444, 20_000, 0));
        sync.restart(gapMicros);
    }

    long count(MediaKind kind, TimestampCorrection reason) {
        long n = node.count(kind, reason);
        if (sanitiser.corrections().count(kind, reason) != n) throw new AssertionError("node and broadcast counts differ");
        return n;
    }

    static long nanos(double millis) { return Math.round(millis * 1_000_000); }
}
