package live.cascade.hls.record;

import live.cascade.hls.media.Ffmpeg;
import live.cascade.hls.media.FfmpegException;
import live.cascade.hls.media.MediaPacket;
import live.cascade.hls.media.Muxing;
import live.cascade.hls.media.StreamFormat;
import org.bytedeco.ffmpeg.avcodec.AVPacket;
import org.bytedeco.ffmpeg.avformat.AVFormatContext;
import org.bytedeco.ffmpeg.avformat.AVIOContext;
import org.bytedeco.ffmpeg.avutil.AVDictionary;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.bytedeco.ffmpeg.global.avcodec.AV_CODEC_ID_AAC;
import static org.bytedeco.ffmpeg.global.avcodec.AV_CODEC_ID_H264;
import static org.bytedeco.ffmpeg.global.avcodec.AV_CODEC_ID_HEVC;
import static org.bytedeco.ffmpeg.global.avcodec.AV_CODEC_ID_VP8;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_alloc;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_free;
import static org.bytedeco.ffmpeg.global.avformat.AVIO_FLAG_WRITE;
import static org.bytedeco.ffmpeg.global.avformat.av_write_trailer;
import static org.bytedeco.ffmpeg.global.avformat.avformat_alloc_output_context2;
import static org.bytedeco.ffmpeg.global.avformat.avformat_free_context;
import static org.bytedeco.ffmpeg.global.avformat.avformat_write_header;
import static org.bytedeco.ffmpeg.global.avformat.avio_closep;
import static org.bytedeco.ffmpeg.global.avformat.avio_open;
import static org.bytedeco.ffmpeg.global.avutil.av_dict_free;
import static org.bytedeco.ffmpeg.global.avutil.av_dict_set;

/**
 * Records a broadcast as the publisher sent it, without re-encoding: H.264, HEVC or AV1 (+ Opus or the publisher's
 * AAC) into fragmented MP4 (HEVC tagged {@code hvc1}, AV1 {@code av01}), VP8 (+ Opus) into WebM. The file starts at the first video keyframe (a recording that begins mid-GOP would open on garbage) and
 * its timestamps start at zero there. The MP4 is fragmented at keyframes (at least every two seconds' worth), so what
 * was written is playable even if the node dies, and the VOD playlist can address the fragments by byte range.
 *
 * <p>A packet the muxer refuses (the timestamps reaching it are sanitised, so this is the exception) is dropped and
 * counted, and the recording goes on. If it keeps refusing ({@value #FAILURES_BEFORE_NEW_PART} packets of a stream in a row), the
 * current file is closed cleanly and the recording continues in a new part, {@code recording-2.mp4} and so on beside
 * the first, from the next keyframe: a muxer in a bad state costs a moment, not the rest of the broadcast. A full disk
 * stops the recording for good (a new file would not fare better): the files keep what was written, the error is kept
 * for the caller to report, and the live ladder, which writes elsewhere, is not affected.
 */
public final class Recorder implements AutoCloseable {
    /** Refused packets in a row after which the current part is closed and a new one started. */
    static final int FAILURES_BEFORE_NEW_PART = 5;
    /** A muxer that fails in every part is not going to recover: stop rather than fill a directory with parts. */
    static final int MAX_PARTS = 20;

    private final Path firstFile;
    private final java.util.List<Path> parts = new java.util.ArrayList<>();
    private Path file;
    private final Container container;
    private final StreamFormat video;
    private final StreamFormat audio;
    private final AVPacket pkt = av_packet_alloc();
    private AVFormatContext ctx;
    private int videoIndex = -1;
    private int audioIndex = -1;
    private boolean started;
    private long originMicros;
    private long endMicros;
    private long closedPartsMicros;
    private long droppedPackets;
    /** Per stream: packets refused since its last accepted one (a muxer may refuse one stream and take the other). */
    private final int[] consecutiveFailures = new int[2];
    private String lastRecovery;
    private int recoveries;
    private final long audioFrameMicros;
    private long lastVideoMicros = Long.MIN_VALUE;
    private long lastVideoDurationMicros = 33_333;
    private String error;
    private boolean diskFull;
    private boolean closed;
    private RecordingResult result;

    /**
     * @param video the video stream (H.264 with SPS/PPS as extradata, or VP8), or null for audio only
     * @param audio Opus with an OpusHead as extradata, or AAC with its AudioSpecificConfig (an RTMP/SRT publisher's
     *              own), or null
     */
    public Recorder(Path file, StreamFormat video, StreamFormat audio) {
        Ffmpeg.load();
        this.firstFile = file;
        this.file = file;
        this.video = video;
        this.audio = audio;
        this.container = video != null && video.codecId() == AV_CODEC_ID_VP8 ? Container.WEBM : Container.MP4;
        this.audioFrameMicros = audio == null || audio.frameSize() <= 0 ? 20_000 : audio.frameSize() * 1_000_000L / audio.clockRate();
    }

    public Container container() { return container; }

    /** The first part's file (the only one unless the recording had to recover). */
    public Path file() { return firstFile; }

    /**
     * Where part {@code n} (1-based) of a recording whose first part is {@code first} lies: {@code recording.mp4},
     * then {@code recording-2.mp4}, {@code recording-3.mp4}, … in the same directory.
     */
    public static Path partFile(Path first, int n) {
        if (n <= 1) return first;
        String name = first.getFileName().toString();
        int dot = name.lastIndexOf('.');
        String stem = dot < 0 ? name : name.substring(0, dot);
        String ext = dot < 0 ? "" : name.substring(dot);
        return first.resolveSibling(stem + "-" + n + ext);
    }

    /** Writes one video frame in presentation order (no B-frames); the recording starts at the first keyframe. */
    public void video(byte[] data, long ptsMicros, boolean keyframe) {
        video(data, ptsMicros, keyframe, 0);
    }

    /**
     * Writes one video frame; the recording starts at the first keyframe. {@code ptsMicros} is its decode time and
     * {@code composition} (90 kHz ticks) how much later it is shown: non-zero only for frames in decode order with
     * B-frames (RTMP/SRT HEVC, handed to the tap as sent).
     */
    public void video(byte[] data, long ptsMicros, boolean keyframe, int composition) {
        if (video == null || failedOrClosed()) return;
        if (!started) {
            if (!keyframe) return;
            if (!open(ptsMicros)) return;
        }
        if (ptsMicros <= lastVideoMicros) return; // a muxer refuses non-increasing timestamps
        if (lastVideoMicros != Long.MIN_VALUE) lastVideoDurationMicros = Math.min(1_000_000, ptsMicros - lastVideoMicros);
        lastVideoMicros = ptsMicros;
        write(videoIndex, data, ptsMicros, lastVideoDurationMicros, keyframe, 90_000, composition);
    }

    /** Writes one audio packet (20 ms of Opus, or an AAC frame); audio before the first video keyframe is not kept. */
    public void audio(byte[] data, long ptsMicros) {
        if (audio == null || failedOrClosed()) return;
        if (!started) {
            if (video != null) return;
            if (!open(ptsMicros)) return;
        }
        if (ptsMicros < originMicros) return;
        write(audioIndex, data, ptsMicros, audioFrameMicros, true, audio.clockRate(), 0);
    }

    private boolean failedOrClosed() { return closed || error != null; }

    private boolean open(long ptsMicros) {
        file = partFile(firstFile, parts.size() + 1);
        try {
            Files.createDirectories(file.getParent());
            AVFormatContext c = new AVFormatContext(null);
            Ffmpeg.check(avformat_alloc_output_context2(c, null, container.muxer(), file.toString()), "recording muxer");
            ctx = c;
            if (video != null) videoIndex = Muxing.addStream(ctx, video);
            if (audio != null) audioIndex = Muxing.addStream(ctx, audio);
            AVIOContext pb = new AVIOContext(null);
            Ffmpeg.check(avio_open(pb, file.toString(), AVIO_FLAG_WRITE), "open " + file);
            ctx.pb(pb);
            AVDictionary opts = new AVDictionary(null);
            try {
                if (container == Container.MP4) {
                    av_dict_set(opts, "movflags", "frag_keyframe+empty_moov+default_base_moof", 0);
                    av_dict_set(opts, "min_frag_duration", "2000000", 0);
                }
                Ffmpeg.check(avformat_write_header(ctx, opts), "recording header");
            } finally {
                av_dict_free(opts);
            }
            started = true;
            originMicros = ptsMicros;
            endMicros = 0;
            parts.add(file);
            return true;
        } catch (FfmpegException e) {
            fail(e.getMessage(), e.diskFull());
            return false;
        } catch (IOException e) {
            fail("cannot create " + file.getParent() + ": " + e.getMessage(), false);
            return false;
        }
    }

    private void write(int index, byte[] data, long ptsMicros, long durationMicros, boolean key, int clock, int composition) {
        long dts = MediaPacket.ticks(ptsMicros - originMicros, clock);
        MediaPacket p = new MediaPacket(data, dts + composition, dts, MediaPacket.ticks(durationMicros, clock), clock, key);
        try {
            Muxing.write(ctx, pkt, index, p, 0, true);
            endMicros = Math.max(endMicros, ptsMicros - originMicros + durationMicros);
            consecutiveFailures[index] = 0;
        } catch (FfmpegException e) {
            if (e.diskFull()) {
                fail(e.getMessage(), true);
                return;
            }
            droppedPackets++;
            if (++consecutiveFailures[index] >= FAILURES_BEFORE_NEW_PART) newPart(e.getMessage());
        }
    }

    /** Closes the current part cleanly; the next keyframe (or audio packet, without video) opens the next one. */
    private void newPart(String why) {
        if (parts.size() >= MAX_PARTS) {
            fail(why + " (still failing after " + MAX_PARTS + " parts)", false);
            return;
        }
        closedPartsMicros += endMicros;
        endMicros = 0;
        java.util.Arrays.fill(consecutiveFailures, 0);
        FfmpegException trailer = closeMuxer(true);
        lastRecovery = why + (trailer == null ? "" : "; closing the part: " + trailer.getMessage());
        recoveries++;
        started = false;
    }

    private void fail(String message, boolean full) {
        error = message;
        diskFull = full;
        release(false);
    }

    /** Why it stopped, or null while it runs (or ran to the end). */
    public String error() { return error; }

    public boolean diskFull() { return diskFull; }

    public boolean started() { return started; }

    /** Microseconds recorded so far, over all parts. */
    public long durationMicros() { return closedPartsMicros + endMicros; }

    /** Packets the muxer refused, dropped. */
    public long droppedPackets() { return droppedPackets; }

    /** Times the recording had to continue in a new part. */
    public int recoveries() { return recoveries; }

    /** Why the recording last had to start a new part, or null. */
    public String lastRecovery() { return lastRecovery; }

    /** Ends the file (trailer, index) and reports what it holds. Idempotent. */
    public RecordingResult finish() {
        if (result != null) return result;
        release(error == null);
        long bytes = 0;
        for (Path part : parts) {
            try {
                bytes += Files.exists(part) ? Files.size(part) : 0;
            } catch (IOException e) {
                // counted as empty
            }
        }
        String audioCodec = audio == null ? null : audio.codecId() == AV_CODEC_ID_AAC ? "aac" : "opus";
        result = new RecordingResult(firstFile, container, video == null ? null : codecName(video), audioCodec,
                video == null ? 0 : video.width(), video == null ? 0 : video.height(), parts.isEmpty() ? 0 : durationMicros(), bytes,
                error, diskFull, java.util.List.copyOf(parts), droppedPackets);
        closed = true;
        return result;
    }

    private static String codecName(StreamFormat f) {
        return f.codecId() == AV_CODEC_ID_H264 ? "h264" : f.codecId() == AV_CODEC_ID_HEVC ? "hevc"
                : f.codecId() == org.bytedeco.ffmpeg.global.avcodec.AV_CODEC_ID_AV1 ? "av1" : "vp8";
    }

    /** Closes the muxer and the file; with {@code trailer} (a clean end) writes the trailer first. */
    private void release(boolean trailer) {
        FfmpegException e = closeMuxer(trailer);
        if (e != null && error == null) {
            error = e.getMessage();
            diskFull = e.diskFull();
        }
    }

    /** Closes the muxer and the file; returns why the trailer could not be written, or null. */
    private FfmpegException closeMuxer(boolean trailer) {
        if (ctx == null) return null;
        try {
            if (trailer && started) {
                int r = av_write_trailer(ctx);
                if (r < 0) return new FfmpegException("recording trailer", r);
            }
            return null;
        } finally {
            if (ctx.pb() != null && !ctx.pb().isNull()) avio_closep(ctx.pb());
            avformat_free_context(ctx);
            ctx = null;
        }
    }

    @Override
    public void close() {
        finish();
        av_packet_free(pkt);
    }
}
