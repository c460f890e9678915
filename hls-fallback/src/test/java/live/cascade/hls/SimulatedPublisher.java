package live.cascade.hls;

import live.cascade.sfu.params.Codec;
import live.cascade.sfu.params.HeaderExtensions;
import live.cascade.sfu.params.MediaKind;
import live.cascade.sfu.params.TrackParameters;
import live.cascade.sfu.rtp.NtpTime;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * A publisher's RTP and sender reports, as the router would hand them to a sink, built from synthetic coded media:
 * events in arrival order with arrival times. Video and audio start their RTP clocks at unrelated random offsets, as
 * real senders do; the sender reports are what ties them together.
 */
public final class SimulatedPublisher {
    public static final int VIDEO_PT = 102;
    public static final int AUDIO_PT = 111;

    /** What the sink sees, in order. */
    public sealed interface Event permits Rtp, SenderReport {
        long arrivalNanos();
    }

    public record Rtp(MediaKind kind, byte[] packet, long arrivalNanos) implements Event {
    }

    public record SenderReport(MediaKind kind, long ntp, long rtpTimestamp, long arrivalNanos) implements Event {
    }

    public final List<Event> events = new ArrayList<>();
    public final List<TrackParameters> tracks = new ArrayList<>();
    private final long epochAtStartNanos = System.currentTimeMillis() * 1_000_000L;

    /**
     * @param videoCodec "H264" or "VP8" (null for none)
     * @param audioOffsetMicros how much later than the video the audio was captured (A/V offset the SRs must fix)
     * @param obsFirstReport    the first sender report of each track carries RTP timestamp 0xFFFFFFFF
     */
    public SimulatedPublisher(String videoCodec, List<SyntheticSource.Coded> video, List<SyntheticSource.Coded> audio,
                              long startNanos, long audioOffsetMicros, boolean obsFirstReport, boolean obsStyleParameterSets) {
        long lastMicros = 0;
        if (videoCodec != null) {
            tracks.add(new TrackParameters(MediaKind.VIDEO, "0", new Codec(VIDEO_PT, videoCodec, 90_000, 1, "", List.of("nack", "nack pli"), -1),
                    0x1111, 0, HeaderExtensions.NONE));
            RtpPacketizer v = new RtpPacketizer(VIDEO_PT, 0x1111, 65_000, 0xFFFF_0000L);
            byte[][] ps = null;
            for (SyntheticSource.Coded c : video) {
                long micros = c.ticks() * 1000 / 90;
                long at = startNanos + micros * 1000 + 5_000_000L;
                List<byte[]> packets;
                if (videoCodec.equals("H264")) {
                    if (ps == null) ps = parameterSets(c.data());
                    packets = v.h264(c.data(), c.ticks(), obsStyleParameterSets ? ps : null, obsStyleParameterSets);
                } else {
                    packets = v.vp8(c.data(), c.ticks());
                }
                for (byte[] p : packets) events.add(new Rtp(MediaKind.VIDEO, p, at));
                lastMicros = Math.max(lastMicros, micros);
            }
            addReports(MediaKind.VIDEO, v, 90_000, startNanos, 0, lastMicros, obsFirstReport);
        }
        if (audio != null) {
            tracks.add(new TrackParameters(MediaKind.AUDIO, "1", new Codec(AUDIO_PT, "opus", 48_000, 2, "minptime=10;useinbandfec=1", List.of(), -1),
                    0x2222, 0, HeaderExtensions.NONE));
            RtpPacketizer a = new RtpPacketizer(AUDIO_PT, 0x2222, 100, 123_456_789L);
            long last = 0;
            for (SyntheticSource.Coded c : audio) {
                long micros = c.ticks() * 1_000_000L / 48_000 + audioOffsetMicros;
                events.add(new Rtp(MediaKind.AUDIO, a.packet(c.ticks(), false, c.data()), startNanos + micros * 1000 + 2_000_000L));
                last = micros;
            }
            addReports(MediaKind.AUDIO, a, 48_000, startNanos, audioOffsetMicros, last, obsFirstReport);
        }
        events.sort(Comparator.comparingLong(Event::arrivalNanos));
    }

    /** One report per second (the first right after the first packet), mapping capture time to RTP time. */
    private void addReports(MediaKind kind, RtpPacketizer p, int clock, long startNanos, long offsetMicros, long lastMicros,
                            boolean obsFirst) {
        boolean first = true;
        for (long t = 100_000; t <= lastMicros; t += 1_000_000) {
            long ticks = (t - offsetMicros) * clock / 1_000_000L;
            long ntp = NtpTime.fromEpochNanos(epochAtStartNanos + t * 1000);
            long rtp = first && obsFirst ? 0xFFFF_FFFFL : p.rtpTimestamp(ticks);
            events.add(new SenderReport(kind, ntp, rtp, startNanos + t * 1000 + 1_000_000L));
            first = false;
        }
    }

    private static byte[][] parameterSets(byte[] annexB) {
        byte[] sps = null;
        byte[] pps = null;
        for (byte[] n : RtpPacketizer.splitAnnexB(annexB)) {
            if ((n[0] & 0x1F) == 7) sps = n;
            if ((n[0] & 0x1F) == 8) pps = n;
        }
        return sps == null ? null : new byte[][]{sps, pps};
    }

    /**
     * From {@code fromNanos} (arrival) on, the track's RTP timestamps jump by {@code deltaTicks} (wrapping at 32 bits),
     * as when a publisher corrects its clock or restarts its encoder: the media keeps flowing in real time. With
     * {@code reportsFollow} its later sender reports describe the new clock (a sender whose RTCP follows its RTP), else
     * they keep the old one. Returns the packets changed.
     */
    public int jumpClock(MediaKind kind, long fromNanos, long deltaTicks, boolean reportsFollow) {
        int changed = 0;
        for (int i = 0; i < events.size(); i++) {
            Event e = events.get(i);
            if (e.arrivalNanos() < fromNanos) continue;
            if (e instanceof Rtp r && r.kind() == kind) {
                setTimestamp(r.packet(), timestamp(r.packet()) + deltaTicks);
                changed++;
            } else if (e instanceof SenderReport s && s.kind() == kind && reportsFollow) {
                events.set(i, new SenderReport(kind, s.ntp(), (s.rtpTimestamp() + deltaTicks) & 0xFFFF_FFFFL, s.arrivalNanos()));
            }
        }
        return changed;
    }

    /**
     * Every {@code everyNanos} of arrival time, one packet of the track carries the previous packet's RTP timestamp
     * (a looping encoder, packet-loss concealment): the frame is there twice as far as timestamps go. Returns how
     * many packets were made duplicates, in arrival order.
     */
    public int repeatTimestamps(MediaKind kind, long everyNanos) {
        long first = events.getFirst().arrivalNanos();
        long next = first + everyNanos;
        byte[] previous = null;
        int repeated = 0;
        for (Event e : events) {
            if (!(e instanceof Rtp r) || r.kind() != kind) continue;
            if (previous != null && r.arrivalNanos() >= next && timestamp(r.packet()) != timestamp(previous)) {
                setTimestamp(r.packet(), timestamp(previous));
                repeated++;
                next += everyNanos;
            }
            previous = r.packet();
        }
        return repeated;
    }

    static long timestamp(byte[] rtp) {
        return ((rtp[4] & 0xFFL) << 24) | ((rtp[5] & 0xFFL) << 16) | ((rtp[6] & 0xFFL) << 8) | (rtp[7] & 0xFFL);
    }

    static void setTimestamp(byte[] rtp, long ts) {
        rtp[4] = (byte) (ts >>> 24);
        rtp[5] = (byte) (ts >>> 16);
        rtp[6] = (byte) (ts >>> 8);
        rtp[7] = (byte) ts;
    }

    /** Feeds every event to the pipeline, polling it as time passes. */
    void feed(TapPipeline p) {
        // Not Long.MIN_VALUE: arrival - MIN_VALUE overflows, and the pipeline would never be polled (gaps never given up).
        long lastPoll = events.isEmpty() ? 0 : events.getFirst().arrivalNanos() - 10_000_000L;
        for (Event e : events) {
            switch (e) {
                case Rtp r -> p.onRtp(r.kind(), r.packet(), 0, r.packet().length, r.arrivalNanos());
                case SenderReport s -> p.onSenderReport(s.kind(), s.ntp(), s.rtpTimestamp(), s.arrivalNanos());
            }
            if (e.arrivalNanos() - lastPoll > 5_000_000L) {
                p.poll(e.arrivalNanos());
                lastPoll = e.arrivalNanos();
            }
        }
    }
}
