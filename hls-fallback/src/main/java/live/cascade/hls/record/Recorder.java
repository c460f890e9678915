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

import static org.bytedeco.ffmpeg.global.avcodec.AV_CODEC_ID_H264;
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
 * Records a broadcast as the publisher sent it, without re-encoding: H.264 (+ Opus) into fragmented MP4, VP8 (+ Opus)
 * into WebM. The file starts at the first video keyframe (a recording that begins mid-GOP would open on garbage) and
 * its timestamps start at zero there. The MP4 is fragmented at keyframes (at least every two seconds' worth), so what
 * was written is playable even if the node dies, and the VOD playlist can address the fragments by byte range.
 *
 * <p>A write error (a full disk above all) stops the recording for good: the file keeps what was written, the error
 * is kept for the caller to report, and the live ladder, which writes elsewhere, is not affected.
 */
public final class Recorder implements AutoCloseable {
    private final Path file;
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
    private long lastVideoMicros = Long.MIN_VALUE;
    private long lastVideoDurationMicros = 33_333;
    private String error;
    private boolean diskFull;
    private boolean closed;
    private RecordingResult result;

    /**
     * @param video the video stream (H.264 with SPS/PPS as extradata, or VP8), or null for audio only
     * @param audio Opus with an OpusHead as extradata, or null
     */
    public Recorder(Path file, StreamFormat video, StreamFormat audio) {
        Ffmpeg.load();
        this.file = file;
        this.video = video;
        this.audio = audio;
        this.container = video != null && video.codecId() != AV_CODEC_ID_H264 ? Container.WEBM : Container.MP4;
    }

    public static Container containerFor(int videoCodecId) {
        return videoCodecId == AV_CODEC_ID_H264 ? Container.MP4 : Container.WEBM;
    }

    public Container container() { return container; }

    public Path file() { return file; }

    /** Writes one video frame; the recording starts at the first keyframe. */
    public void video(byte[] data, long ptsMicros, boolean keyframe) {
        if (video == null || failedOrClosed()) return;
        if (!started) {
            if (!keyframe) return;
            if (!open(ptsMicros)) return;
        }
        if (ptsMicros <= lastVideoMicros) return; // a muxer refuses non-increasing timestamps
        if (lastVideoMicros != Long.MIN_VALUE) lastVideoDurationMicros = Math.min(1_000_000, ptsMicros - lastVideoMicros);
        lastVideoMicros = ptsMicros;
        write(videoIndex, data, ptsMicros, lastVideoDurationMicros, keyframe, 90_000);
    }

    /** Writes one audio packet (20 ms of Opus); audio before the first video keyframe is not kept. */
    public void audio(byte[] data, long ptsMicros) {
        if (audio == null || failedOrClosed()) return;
        if (!started) {
            if (video != null) return;
            if (!open(ptsMicros)) return;
        }
        if (ptsMicros < originMicros) return;
        write(audioIndex, data, ptsMicros, 20_000, true, 48_000);
    }

    private boolean failedOrClosed() { return closed || error != null; }

    private boolean open(long ptsMicros) {
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
            return true;
        } catch (FfmpegException e) {
            fail(e.getMessage(), e.diskFull());
            return false;
        } catch (IOException e) {
            fail("cannot create " + file.getParent() + ": " + e.getMessage(), false);
            return false;
        }
    }

    private void write(int index, byte[] data, long ptsMicros, long durationMicros, boolean key, int clock) {
        long pts = MediaPacket.ticks(ptsMicros - originMicros, clock);
        MediaPacket p = new MediaPacket(data, pts, pts, MediaPacket.ticks(durationMicros, clock), clock, key);
        try {
            Muxing.write(ctx, pkt, index, p, 0, true);
            endMicros = Math.max(endMicros, ptsMicros - originMicros + durationMicros);
        } catch (FfmpegException e) {
            fail(e.getMessage(), e.diskFull());
        }
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

    /** Microseconds recorded so far. */
    public long durationMicros() { return endMicros; }

    /** Ends the file (trailer, index) and reports what it holds. Idempotent. */
    public RecordingResult finish() {
        if (result != null) return result;
        release(error == null);
        long bytes;
        try {
            bytes = Files.exists(file) ? Files.size(file) : 0;
        } catch (IOException e) {
            bytes = 0;
        }
        result = new RecordingResult(file, container, video == null ? null : codecName(video), audio == null ? null : "opus",
                video == null ? 0 : video.width(), video == null ? 0 : video.height(), started ? endMicros : 0, bytes,
                error, diskFull);
        closed = true;
        return result;
    }

    private static String codecName(StreamFormat f) { return f.codecId() == AV_CODEC_ID_H264 ? "h264" : "vp8"; }

    /** Closes the muxer and the file; with {@code trailer} (a clean end) writes the trailer first. */
    private void release(boolean trailer) {
        if (ctx == null) return;
        try {
            if (trailer && started) {
                int r = av_write_trailer(ctx);
                if (r < 0 && error == null) {
                    FfmpegException e = new FfmpegException("recording trailer", r);
                    error = e.getMessage();
                    diskFull = e.diskFull();
                }
            }
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
