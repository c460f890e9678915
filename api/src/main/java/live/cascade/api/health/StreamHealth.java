package live.cascade.api.health;

import live.cascade.ingest.bridge.IngestStatus;

import live.cascade.hls.RecordingState;
import live.cascade.sfu.routing.IngestStats;
import live.cascade.sfu.routing.IngestTrackStats;
import live.cascade.signaling.session.BroadcastState;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Locale;

/**
 * The body of {@code GET /api/channels/{channel}/stream/health}: how the creator's stream arrives at this node, per
 * track, as the router measured it over its last one-second window. A figure that has not been measured yet (the
 * first second of a stream, two keyframes not yet seen, a codec whose headers the router does not read) is null,
 * never a made-up 0.
 *
 * @param state              {@code starting} (negotiated, no media yet), {@code live}, or {@code reconnecting}
 *                           (the publisher vanished; the broadcast waits out its grace period)
 * @param publisherConnected a publisher is attached right now
 * @param congestionFeedback what the node sends the publisher so its encoder can ramp up: {@code transport-cc},
 *                           {@code remb} or {@code none}
 * @param recording          how the broadcast's recording is doing, or null on a node without taps
 * @param feedback           with transport-cc, what that feedback told the publisher (null otherwise)
 * @param restreams          the restream destinations of this broadcast (issue 23) and how each is doing
 * @param ingest             for an RTMP publisher, what the node makes of its stream (codecs, and warnings the creator
 *                           should act on, such as B-frames); null for WHIP
 */
public record StreamHealth(long channelId, String channel, String state, boolean publisherConnected,
                           String congestionFeedback, Instant measuredAt, List<Track> tracks, Recording recording,
                           Feedback feedback, Ingest ingest, List<Restream> restreams) {

    /**
     * A non-WebRTC publish (RTMP): how the node turns it into what WebRTC viewers take.
     *
     * @param protocol {@code rtmp} or {@code rtmps}
     * @param video    the video codec as sent, e.g. {@code H264 (profile-level-id 64001f)}
     * @param audio    {@code AAC → Opus} once audio flows
     * @param warnings sentences saying what to change and how (B-frames, a codec WebRTC viewers cannot take)
     * @param webrtcVideo whether WebRTC viewers get the video: false for HEVC and AV1, which only HLS, the recording and restreams carry
     */
    /**
     * One restream destination in this broadcast.
     *
     * @param url    the server, without its key
     * @param state  {@code connecting}, {@code live} or {@code failed} (retried with back-off)
     * @param detail the last error and when the next attempt is, or null
     */
    public record Restream(long id, String url, String state, String detail) {
        static Restream of(live.cascade.hls.restream.RestreamStatus s) {
            return new Restream(s.id(), s.display(), s.state().name().toLowerCase(java.util.Locale.ROOT), s.detail());
        }
    }

    public record Ingest(String protocol, String video, String audio, List<String> warnings, boolean webrtcVideo) {
        static Ingest of(IngestStatus s) {
            return new Ingest(s.protocol(), s.video(), s.audio(), s.warnings(), s.webrtcVideo());
        }
    }

    /**
     * The broadcast's recording.
     *
     * @param state                {@code waiting} (for the first keyframe), {@code recording}, {@code stopped} or {@code off}
     * @param recoveries           times it continued in a new part because its muxer kept refusing packets
     * @param droppedPackets       packets the muxer refused (dropped; the recording went on)
     * @param error                why it stopped (null unless stopped)
     * @param lastRecovery         why it last continued in a new part, or null
     * @param timestampCorrections the publisher's media timestamps corrected so far (repeats, steps back, jumps)
     */
    public record Recording(String state, int recoveries, long droppedPackets, String error, String lastRecovery,
                            long timestampCorrections) {
        static Recording of(RecordingState s) {
            return new Recording(s.phase().name().toLowerCase(Locale.ROOT), s.recoveries(), s.droppedPackets(), s.error(),
                    s.lastRecovery(), s.timestampCorrections());
        }
    }

    /**
     * The congestion feedback the publisher's encoder steers by (issue 16): when the publisher reports "limited by
     * bandwidth" on a good network, these say whether the node told it about loss or delay.
     *
     * @param packetsReportedLost packets the feedback reported lost, over the current stream
     * @param latePackets         packets that arrived after their feedback had reported them lost
     * @param maxIntervalMs       longest time between two feedback packets, last window (the node sends one about
     *                            every 50 ms; much longer gaps stall the publisher's pacer)
     * @param arrivalDelayMs      largest delay of an arrival over the fastest packet's, last window (from the
     *                            publisher's abs-send-time; null when it does not send it): the queueing the publisher's
     *                            delay-based estimator sees; tens of ms on a good network hold its bitrate down
     * @param nodeWaitMs          longest a packet waited inside this node before it was handled, last window; already
     *                            taken out of the reported arrivals (null when the kernel's timestamps are unavailable)
     * @param acknowledgedBitrate bit/s the feedback acknowledged as received, last window: the rate the publisher's
     *                            estimate is anchored to (null before the first window)
     */
    public record Feedback(long packetsReportedLost, long latePackets, double maxIntervalMs, Double arrivalDelayMs,
                           Double nodeWaitMs, Long acknowledgedBitrate) {
    }

    /**
     * One incoming track.
     *
     * @param bitrate            bits per second on the wire (media, retransmissions and padding)
     * @param frameRate          frames per second (video only)
     * @param keyframeInterval   seconds between the last two keyframes (video only)
     * @param packetLoss         share of packets lost on the way in over the last window, before retransmissions
     *                           repaired any (0 to 1)
     * @param packetsLost        packets still missing after repair, over the current stream
     * @param packetsRecovered   packets that arrived after being found missing (retransmitted or late)
     * @param jitterMs           RFC 3550 interarrival jitter
     * @param width              coded width from the last keyframe's sequence header (video only)
     * @param lastPacketAgeMs    time since the last packet of this track arrived
     * @param mediaBitrate       bits per second of the media itself (no RTX overhead, no padding): with simulcast, what
     *                           a viewer of this layer is sent (browsers pad a low layer to probe their uplink)
     * @param rid                the simulcast layer's rid when the video is sent in simulcast (one entry per layer,
     *                           best first, by measured size then bitrate), null otherwise
     */
    public record Track(String kind, String codec, Long bitrate, Double frameRate, Double keyframeInterval,
                        double packetLoss, long packetsLost, long packetsRecovered, double jitterMs, Integer width,
                        Integer height, Long lastPacketAgeMs, long keyframes, String rid, Long mediaBitrate) {
    }

    static StreamHealth of(BroadcastState state, IngestStats ingest, Optional<RecordingState> recording, Instant now,
                           Optional<IngestStatus> rtmp, List<live.cascade.hls.restream.RestreamStatus> restreams) {
        List<Track> tracks = ingest.tracks().stream().map(StreamHealth::track).toList();
        IngestStats.Feedback f = ingest.feedback();
        Feedback feedback = !"transport-cc".equals(ingest.congestionFeedback()) ? null : new Feedback(f.packetsReportedLost(),
                f.latePackets(), round(f.maxIntervalMillis(), 1), f.stampedDelayMillis() < 0 ? null : round(f.stampedDelayMillis(), 1),
                f.receiveWaitMillis() <= 0 ? null : round(f.receiveWaitMillis(), 1),
                f.acknowledgedBitrate() < 0 ? null : f.acknowledgedBitrate());
        return new StreamHealth(state.channel().id(), state.channel().slug(), state.phase().name().toLowerCase(Locale.ROOT),
                ingest.publisherAttached(), ingest.congestionFeedback(), now, tracks, recording.map(Recording::of).orElse(null),
                feedback, rtmp.map(Ingest::of).orElse(null), restreams.stream().map(Restream::of).toList());
    }

    private static Track track(IngestTrackStats t) {
        boolean video = t.kind() == live.cascade.sfu.params.MediaKind.VIDEO;
        boolean sized = video && t.width() > 0 && t.height() > 0;
        return new Track(t.kind().name().toLowerCase(Locale.ROOT), t.codec(),
                t.bitrate() < 0 ? null : t.bitrate(),
                video && t.frameRate() >= 0 ? round(t.frameRate(), 1) : null,
                video && t.keyframeIntervalMillis() >= 0 ? t.keyframeIntervalMillis() / 1000.0 : null,
                round(t.packetLoss(), 4), t.packetsLost(), t.packetsRecovered(), round(t.jitterMillis(), 2),
                sized ? t.width() : null, sized ? t.height() : null,
                t.lastPacketAgeMillis() < 0 ? null : t.lastPacketAgeMillis(), t.keyframes(),
                t.isLayer() ? t.rid() : null, t.mediaBitrate() < 0 ? null : t.mediaBitrate());
    }

    private static double round(double v, int decimals) {
        double scale = Math.pow(10, decimals);
        return Math.round(v * scale) / scale;
    }
}
