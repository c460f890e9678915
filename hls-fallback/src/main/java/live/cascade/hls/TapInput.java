package live.cascade.hls;

import live.cascade.hls.media.StreamFormat;
import live.cascade.hls.rtp.EncodedFrame;
import live.cascade.hls.rtp.H264Depacketizer;
import live.cascade.hls.rtp.OpusDepacketizer;
import live.cascade.hls.rtp.TrackAssembler;
import live.cascade.hls.rtp.Vp8Depacketizer;
import live.cascade.hls.sync.AvSync;
import live.cascade.sfu.params.MediaKind;
import live.cascade.sfu.params.TrackParameters;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;

import static org.bytedeco.ffmpeg.global.avcodec.AV_CODEC_ID_AV1;
import static org.bytedeco.ffmpeg.global.avcodec.AV_CODEC_ID_H264;
import static org.bytedeco.ffmpeg.global.avcodec.AV_CODEC_ID_HEVC;
import static org.bytedeco.ffmpeg.global.avcodec.AV_CODEC_ID_VP8;

/**
 * The tap's first stage: RTP to frames, one {@link TrackAssembler} per track (reorder, depacketize), for the codecs
 * the tap understands (H.264 or VP8 video, Opus audio); any other track is left out here, once, with a log line. An
 * H.265 or AV1 video track is direct: the ingest hands its access units to the tap whole, in order, with decode times
 * on a 90 kHz clock that needs no unwrapping ({@link #onDirectVideo}), since no RTP packetizer exists for them here.
 */
final class TapInput {
    private static final Logger LOG = LoggerFactory.getLogger(TapPipeline.class);
    private static final long REORDER_DELAY_NANOS = 80_000_000L;
    private static final byte[] NO_BYTES = new byte[0];

    private final Map<MediaKind, TrackAssembler> assemblers = new EnumMap<>(MediaKind.class);
    private final Map<MediaKind, Integer> clockRates = new EnumMap<>(MediaKind.class);
    private final H264Depacketizer h264;
    private final int videoCodecId;
    private final int audioChannels;
    private final boolean hasAudio;
    private final Consumer<EncodedFrame> frames;
    /** The direct video's configuration (HEVC: parameter sets in Annex B; AV1: its av1C record), or null before it came. */
    private byte[] directConfig;
    private boolean directHasTimestamps;
    private long directLatest;

    /**
     * @param frames    every frame of every track, in order per track
     * @param videoLoss told when the video track lost a frame it could not repair (the tap asks for a keyframe)
     */
    TapInput(String slug, Iterable<TrackParameters> tracks, Consumer<EncodedFrame> frames, Runnable videoLoss) {
        H264Depacketizer h264 = null;
        int video = -1;
        int channels = 2;
        boolean audio = false;
        for (TrackParameters t : tracks) {
            String codec = t.codec().name().toUpperCase(Locale.ROOT);
            TrackAssembler a = null;
            if (t.kind() == MediaKind.VIDEO && codec.equals("H264")) {
                h264 = new H264Depacketizer();
                a = new TrackAssembler(h264, t.codec().payloadType(), REORDER_DELAY_NANOS);
                video = AV_CODEC_ID_H264;
            } else if (t.kind() == MediaKind.VIDEO && codec.equals("VP8")) {
                a = new TrackAssembler(new Vp8Depacketizer(), t.codec().payloadType(), REORDER_DELAY_NANOS);
                video = AV_CODEC_ID_VP8;
            } else if (t.kind() == MediaKind.VIDEO && (codec.equals("H265") || codec.equals("HEVC"))) {
                video = AV_CODEC_ID_HEVC;
                clockRates.put(MediaKind.VIDEO, 90_000);
            } else if (t.kind() == MediaKind.VIDEO && codec.equals("AV1")) {
                video = AV_CODEC_ID_AV1;
                clockRates.put(MediaKind.VIDEO, 90_000);
            } else if (t.kind() == MediaKind.AUDIO && codec.equals("OPUS")) {
                a = new TrackAssembler(new OpusDepacketizer(), t.codec().payloadType(), REORDER_DELAY_NANOS);
                audio = true;
                channels = Math.max(1, t.codec().channels());
            } else {
                LOG.info("channel {}: {} {} is neither H.264, VP8 nor Opus; HLS and the recording leave it out", slug, t.kind(), t.codec().name());
            }
            if (a != null) {
                a.setOutput(frames);
                if (t.kind() == MediaKind.VIDEO) a.setLossListener(videoLoss);
                assemblers.put(t.kind(), a);
                clockRates.put(t.kind(), t.codec().clockRate());
            }
        }
        this.h264 = h264;
        this.frames = frames;
        this.videoCodecId = video;
        this.hasAudio = audio;
        this.audioChannels = channels;
    }

    void onRtp(MediaKind kind, byte[] buf, int off, int len, long arrivalNanos) {
        TrackAssembler a = assemblers.get(kind);
        if (a != null) a.onRtp(buf, off, len, arrivalNanos);
    }

    /** The direct video's configuration changed (or arrived). */
    void onDirectVideoConfig(byte[] data, int len) {
        directConfig = java.util.Arrays.copyOf(data, len);
    }

    /** One access unit of the direct video: decode time {@code timestamp} (90 kHz), {@code composition} ticks to its presentation. */
    void onDirectVideo(byte[] data, int len, long timestamp, int composition, boolean keyframe, long arrivalNanos) {
        if (!direct()) return;
        directHasTimestamps = true;
        directLatest = timestamp;
        // HEVC keyframes get the parameter sets in front, as H.264 from RTP has them: the thumbnail decoder needs them,
        // and a segment or recording part may start there. AV1 keyframes come with their sequence header (the ingest
        // sees to it), and the av1C record is no temporal unit to put in front.
        byte[] sets = keyframe && directConfig != null && videoCodecId == AV_CODEC_ID_HEVC ? directConfig : NO_BYTES;
        byte[] frame = new byte[sets.length + len];
        System.arraycopy(sets, 0, frame, 0, sets.length);
        System.arraycopy(data, 0, frame, sets.length, len);
        frames.accept(new EncodedFrame(MediaKind.VIDEO, frame, timestamp, keyframe, arrivalNanos, composition));
    }

    /** Hands a sender report to {@code sync} in the track's extended timestamps, once the track has any. */
    void onSenderReport(MediaKind kind, long ntp, long rtpTimestamp, long nowNanos, AvSync sync) {
        if (kind == MediaKind.VIDEO && direct()) {
            if (directHasTimestamps) sync.onSenderReport(kind, ntp, rtpTimestamp, directLatest, nowNanos);
            return;
        }
        TrackAssembler a = assemblers.get(kind);
        if (a == null || !a.hasTimestamps()) return;
        sync.onSenderReport(kind, ntp, a.extendTimestamp(rtpTimestamp), a.latestTimestamp(), nowNanos);
    }

    void poll(long nowNanos) {
        for (TrackAssembler a : assemblers.values()) a.poll(nowNanos);
    }

    /** A publisher (re)attached: sequence numbers and timestamps start over. */
    void restart() {
        for (TrackAssembler a : assemblers.values()) a.restart();
    }

    /** End of the broadcast: emit what the depacketizers still hold. */
    void flush() {
        for (TrackAssembler a : assemblers.values()) a.depacketizer().flush();
    }

    long droppedFrames() {
        long n = 0;
        for (TrackAssembler a : assemblers.values()) n += a.droppedFrames();
        return n;
    }

    /** The clock rate of each track the tap reads. */
    Map<MediaKind, Integer> clockRates() { return clockRates; }

    /** FFmpeg's codec id of the video track, or -1 without one. */
    int videoCodecId() { return videoCodecId; }

    boolean hasAudio() { return hasAudio; }

    int audioChannels() { return audioChannels; }

    /** The video track's format at this picture size, with H.264's parameter sets as last seen. */
    StreamFormat sourceFormat(int width, int height) {
        if (videoCodecId == AV_CODEC_ID_H264) {
            byte[] sps = h264.sps();
            byte[] pps = h264.pps();
            byte[] extra = sps != null && pps != null ? StreamFormat.annexB(sps, pps) : new byte[0];
            return new StreamFormat(true, AV_CODEC_ID_H264, width, height, 0, 0, extra, 90_000, 0, 0,
                    StreamFormat.avcCodecString(extra));
        }
        if (videoCodecId == AV_CODEC_ID_HEVC) {
            byte[] extra = directConfig == null ? new byte[0] : directConfig;
            return new StreamFormat(true, AV_CODEC_ID_HEVC, width, height, 0, 0, extra, 90_000, 0, 0, StreamFormat.hevcCodecString(extra));
        }
        if (videoCodecId == AV_CODEC_ID_AV1) {
            byte[] extra = directConfig == null ? new byte[0] : directConfig;
            return new StreamFormat(true, AV_CODEC_ID_AV1, width, height, 0, 0, extra, 90_000, 0, 0, StreamFormat.av1CodecString(extra));
        }
        return new StreamFormat(true, AV_CODEC_ID_VP8, width, height, 0, 0, null, 90_000, 0, 0, "vp8");
    }

    String videoCodecName() { return StreamFormat.videoCodecName(videoCodecId); }

    /** True when the video goes into MP4 (H.264, HEVC, AV1); VP8 goes into WebM, which takes no AAC. */
    boolean mp4() { return videoCodecId == AV_CODEC_ID_H264 || direct(); }

    /** Whether the video is handed over directly by the ingest (HEVC, AV1), copied as sent into HLS and the recording. */
    boolean direct() { return videoCodecId == AV_CODEC_ID_HEVC || videoCodecId == AV_CODEC_ID_AV1; }

    boolean h264() { return videoCodecId == AV_CODEC_ID_H264; }
}
