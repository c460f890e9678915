package live.cascade.ingest.bridge;

import live.cascade.ingest.flv.FlvException;
import live.cascade.ingest.flv.HevcConfig;
import live.cascade.ingest.flv.VideoTag;
import live.cascade.sfu.rtp.NtpTime;
import live.cascade.signaling.session.LocalPublisher;

/**
 * An enhanced-RTMP HEVC ({@code hvc1}) publish's video, which goes to HLS and the recording only: WebRTC viewers here
 * cannot be sent HEVC (browsers' WebRTC HEVC is hardware-bound and patchy, and the node has no RFC 7798 packetizer),
 * and the router never sees it. Each frame is handed to the broadcast's tap whole, as Annex B (the length prefixes
 * become start codes in place), with its decode time and composition offset, so B-frames survive; a report a second
 * ties its clock to the wall clock the audio's sender reports use. One per publish, on the connection's thread.
 */
final class HevcVideo {
    /** What the creator is told (onStatus, stream health). */
    static final String NOTE = "HEVC video goes to HLS and the recording only: WebRTC viewers are sent to HLS, a few seconds "
            + "behind. For sub-second WebRTC playback send H.264 (in OBS: Encoder x264 or NVENC H.264).";
    static final String CODE = "NetStream.Publish.HlsOnly";
    private static final long REPORT_INTERVAL_MS = 1000;

    private HevcConfig config;
    private long nextReport;

    /** A sequence header: returns the studio's description of the stream, or null when it does not parse. */
    String configure(byte[] tag, VideoTag v) {
        try {
            config = HevcConfig.parse(tag, v.dataOffset(), tag.length - v.dataOffset());
        } catch (FlvException e) {
            return null;
        }
        return config.describe();
    }

    boolean configured() { return config != null; }

    /**
     * One coded frame to the tap on the channel's lane; {@code wallMillis} is the wall-clock time of its decode
     * timestamp (for the report). False when the frame is malformed (dropped).
     */
    boolean frame(LocalPublisher p, byte[] tag, VideoTag v, long dtsMillis, long wallMillis) {
        HevcConfig c = config;
        byte[] au = c.toAnnexB(tag, v.dataOffset());
        if (au == null) return false;
        int off = au == tag ? v.dataOffset() : 0;
        byte[] sets = c.annexB();
        long ts = dtsMillis * 90;
        int composition = v.cts() * 90;
        boolean key = v.keyframe();
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
