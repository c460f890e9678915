package live.cascade.ingest.bridge;

import live.cascade.ingest.flv.DirectConfig;
import live.cascade.ingest.flv.FlvException;
import live.cascade.ingest.flv.VideoTag;
import live.cascade.sfu.rtp.NtpTime;
import live.cascade.signaling.session.LocalPublisher;

/**
 * The video of an enhanced-RTMP publish in a codec WebRTC viewers here are not sent ({@link DirectConfig}: HEVC,
 * AV1), which goes to HLS and the recording only: browsers' WebRTC HEVC is hardware-bound and patchy, the node has no
 * RFC 7798 or AV1 RTP packetizer, and the router never sees it. Each frame is handed to the broadcast's tap whole (HEVC
 * as Annex B, its length prefixes turned into start codes in place; AV1 as its OBUs) with its decode time and
 * composition offset, so B-frames survive; a report a second ties its clock to the wall clock the audio's sender
 * reports use. One per publish, on the connection's thread; its codec is the first sequence header's.
 */
final class DirectVideo {
    static final String CODE = "NetStream.Publish.HlsOnly";
    private static final long REPORT_INTERVAL_MS = 1000;

    private final String fourcc;
    private DirectConfig config;
    private long nextReport;

    DirectVideo(String fourcc) {
        this.fourcc = fourcc;
    }

    /** What the creator is told (onStatus, stream health) about video of {@code codec} ({@code HEVC}, {@code AV1}). */
    static String note(String codec) {
        return codec + " video goes to HLS and the recording only: WebRTC viewers are sent to HLS, a few seconds behind. "
                + "For sub-second WebRTC playback send H.264 (in OBS: Encoder x264 or NVENC H.264).";
    }

    /** The FourCC this publish's direct video was started with. */
    String fourcc() { return fourcc; }

    /** A sequence header: returns its configuration, or null when it does not parse (the caller counts it). */
    DirectConfig configure(byte[] tag, VideoTag v) {
        try {
            config = DirectConfig.parse(fourcc, tag, v.dataOffset(), tag.length - v.dataOffset());
        } catch (FlvException e) {
            return null;
        }
        return config;
    }

    boolean configured() { return config != null; }

    /**
     * One coded frame to the tap on the channel's lane; {@code wallMillis} is the wall-clock time of its decode
     * timestamp (for the report). False when the frame is malformed (dropped).
     */
    boolean frame(LocalPublisher p, byte[] tag, VideoTag v, long dtsMillis, long wallMillis) {
        DirectConfig c = config;
        boolean key = v.keyframe();
        byte[] au = c.toTapFrame(tag, v.dataOffset(), key);
        if (au == null) return false;
        int off = au == tag ? v.dataOffset() : 0;
        byte[] sets = c.tapConfig();
        long ts = dtsMillis * 90;
        int composition = v.cts() * 90;
        long ntp = 0;
        if (dtsMillis >= nextReport) {
            ntp = NtpTime.fromEpochNanos(wallMillis * 1_000_000L);
            nextReport = dtsMillis + REPORT_INTERVAL_MS;
        }
        long report = ntp;
        p.lane().execute(() -> {
            if (p.closed()) return;
            p.directVideo(sets, au, off, au.length - off, ts, composition, key);
            // After the frame: the tap takes a report for a track once that track has a timestamp to check it against.
            if (report != 0) p.directVideoReport(report, ts);
        });
        return true;
    }
}
