package live.cascade.hls.restream;

import static org.bytedeco.ffmpeg.global.avcodec.av_packet_alloc;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_free;
import static org.bytedeco.ffmpeg.global.avformat.AVIO_FLAG_WRITE;
import static org.bytedeco.ffmpeg.global.avformat.av_write_trailer;
import static org.bytedeco.ffmpeg.global.avformat.avformat_alloc_output_context2;
import static org.bytedeco.ffmpeg.global.avformat.avformat_free_context;
import static org.bytedeco.ffmpeg.global.avformat.avformat_write_header;
import static org.bytedeco.ffmpeg.global.avformat.avio_closep;
import static org.bytedeco.ffmpeg.global.avformat.avio_open2;
import static org.bytedeco.ffmpeg.global.avutil.av_dict_free;
import static org.bytedeco.ffmpeg.global.avutil.av_dict_set;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.TimeUnit;
import live.cascade.hls.media.AudioTranscoder;
import live.cascade.hls.media.Ffmpeg;
import live.cascade.hls.media.FfmpegException;
import live.cascade.hls.media.MediaPacket;
import live.cascade.hls.media.Muxing;
import live.cascade.hls.media.StreamFormat;
import org.bytedeco.ffmpeg.avcodec.AVPacket;
import org.bytedeco.ffmpeg.avformat.AVFormatContext;
import org.bytedeco.ffmpeg.avformat.AVIOContext;
import org.bytedeco.ffmpeg.avutil.AVDictionary;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends one broadcast to one destination: FLV over RTMP(S) through FFmpeg, the video as the publisher sent it (no
 * re-encode: H.264, or HEVC and AV1 as enhanced RTMP with their B-frames' composition offsets) and its audio as AAC: the publisher's own AAC copied as it came when it published over RTMP or SRT
 * ({@code originalAudio}: no decode, no encode, no second generation of coding loss), else the Opus transcoded. Its
 * own thread and a bounded queue, so a slow or unreachable destination costs the tap nothing: when the queue is full,
 * frames are dropped (counted) and the stream resumes at the next keyframe. A failed connect or write is retried from
 * the next keyframe after a back-off (1 s, doubling to 30 s).
 */
final class Restreamer {
    private static final Logger LOG = LoggerFactory.getLogger(Restreamer.class);
    static final int QUEUE = 900; // about 10 s of 30 fps video and 50 audio packets a second
    static final long FIRST_BACKOFF_MS = 1000;
    static final long MAX_BACKOFF_MS = 30_000;
    /** FFmpeg's rw_timeout: a destination that takes no bytes this long (µs) has failed. */
    static final String IO_TIMEOUT_MICROS = "10000000";

    /** @param composition presentation minus decode time in 90 kHz ticks (HEVC with B-frames), else 0 */
    private record Frame(boolean video, byte[] data, long ptsMicros, boolean keyframe, int composition) {}

    private static final Frame END = new Frame(false, new byte[0], 0, false, 0);

    private final RestreamDestination target;
    private final String slug;
    private final StreamFormat video;
    private final int audioChannels;
    /** The publisher's AAC, copied as it is; null: the Opus is transcoded to AAC. */
    private final StreamFormat originalAudio;
    private final RestreamCounters counters;
    private final ArrayBlockingQueue<Frame> queue = new ArrayBlockingQueue<>(QUEUE);
    private final Thread thread;
    private volatile RestreamStatus status;
    private volatile boolean stopping;
    /** Set by the tap when it dropped a frame: the muxer skips to the next keyframe rather than send a broken GOP. */
    private volatile boolean gap;

    // Muxer state: the restreamer's own thread only.
    private AVFormatContext ctx;
    private AudioTranscoder aac;
    private final AVPacket pkt = av_packet_alloc();
    private int videoIndex, audioIndex;
    private long originMicros;
    private long lastVideoMicros;
    private long backoffMs = FIRST_BACKOFF_MS;
    private long retryAtNanos;
    private boolean waitKeyframe = true;

    Restreamer(RestreamDestination target, String slug, StreamFormat video, int audioChannels, StreamFormat originalAudio,
               RestreamCounters counters) {
        this.target = target;
        this.originalAudio = originalAudio;
        this.slug = slug;
        this.video = video;
        this.audioChannels = audioChannels;
        this.counters = counters;
        this.status = new RestreamStatus(target.id(), target.display(), RestreamStatus.State.CONNECTING, "Waiting for a keyframe.");
        this.thread = Thread.ofPlatform().daemon().name("restream-" + slug + "-" + target.id()).unstarted(this::run);
    }

    void start() { thread.start(); }

    RestreamStatus status() { return status; }

    /** Tap thread: never blocks. {@code ptsMicros} is the decode time, {@code composition} (90 kHz) the offset to its presentation. */
    void video(byte[] data, long ptsMicros, boolean keyframe, int composition) {
        offer(new Frame(true, data, ptsMicros, keyframe, composition));
    }

    /** Tap thread: one Opus packet (left out when the publisher's AAC is copied instead). */
    void audio(byte[] data, long ptsMicros) {
        if (originalAudio == null) offer(new Frame(false, data, ptsMicros, false, 0));
    }

    /** Tap thread: one frame of the publisher's AAC as it was sent (only when the restream copies it). */
    void originalAudio(byte[] data, long ptsMicros) {
        if (originalAudio != null) offer(new Frame(false, data, ptsMicros, false, 0));
    }

    /** Whether this restream carries the publisher's AAC as sent (no audio encoder). */
    boolean copiesAudio() { return originalAudio != null; }

    /** Whether an AAC encoder is open (the Opus transcoded); false when the publisher's AAC is copied. */
    boolean encodesAudio() { return aac != null; }

    private void offer(Frame f) {
        if (!queue.offer(f)) {
            counters.droppedFrames.increment();
            gap = true;
        }
    }

    /** Ends the stream (the trailer is written), waiting a little for the thread. */
    void close() {
        stopping = true;
        queue.clear();
        queue.offer(END);
        try {
            thread.join(3000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void run() {
        try {
            while (true) {
                Frame f = queue.poll(250, TimeUnit.MILLISECONDS);
                if (f == END || (stopping && f == null)) break;
                if (f == null) continue;
                if (gap) {
                    gap = false;
                    waitKeyframe = true;
                }
                handle(f);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            closeMuxer(true);
            av_packet_free(pkt);
        }
    }

    private void handle(Frame f) {
        if (waitKeyframe) {
            if (!f.video() || !f.keyframe()) return;
            if (ctx == null) {
                if (System.nanoTime() < retryAtNanos) return;
                if (!open(f.ptsMicros())) return;
            }
            waitKeyframe = false;
        }
        try {
            if (f.video()) {
                if (f.ptsMicros() <= lastVideoMicros) return; // the muxer refuses timestamps that do not increase
                lastVideoMicros = f.ptsMicros();
                long shown = f.ptsMicros() + f.composition() * 100L / 9; // 90 kHz ticks to microseconds
                Muxing.write(ctx, pkt, videoIndex, new MediaPacket(f.data(), shown, f.ptsMicros(), 0, 1_000_000, f.keyframe()),
                        originMicros, true);
            } else if (f.ptsMicros() >= originMicros && originalAudio != null) {
                int rate = originalAudio.clockRate();
                long ticks = MediaPacket.ticks(f.ptsMicros() - originMicros, rate);
                Muxing.write(ctx, pkt, audioIndex, new MediaPacket(f.data(), ticks, ticks, originalAudio.frameSize(), rate, true), 0, true);
            } else if (f.ptsMicros() >= originMicros) {
                aac.transcode(f.data(), f.ptsMicros(), p -> Muxing.write(ctx, pkt, audioIndex, p,
                        MediaPacket.ticks(originMicros, p.clockRate()), true));
            }
        } catch (FfmpegException e) {
            failed("sending failed: " + e.getMessage());
        }
    }

    private boolean open(long ptsMicros) {
        status = new RestreamStatus(target.id(), target.display(), RestreamStatus.State.CONNECTING, "Connecting.");
        AVDictionary opts = new AVDictionary(null);
        try {
            Ffmpeg.load();
            AVFormatContext c = new AVFormatContext(null);
            Ffmpeg.check(avformat_alloc_output_context2(c, null, "flv", target.url()), "FLV muxer");
            ctx = c;
            videoIndex = Muxing.addStream(ctx, video);
            // FLV names HEVC and AV1 by enhanced RTMP's FourCCs itself; the MP4 sample entry tag (hvc1) is not one of its tags.
            ctx.streams(videoIndex).codecpar().codec_tag(0);
            if (originalAudio != null) {
                audioIndex = Muxing.addStream(ctx, originalAudio);
            } else {
                aac = new AudioTranscoder(audioChannels, 128_000);
                audioIndex = Muxing.addStream(ctx, aac.format());
            }
            av_dict_set(opts, "rw_timeout", IO_TIMEOUT_MICROS, 0);
            AVIOContext pb = new AVIOContext(null);
            Ffmpeg.check(avio_open2(pb, target.url(), AVIO_FLAG_WRITE, null, opts), "connect");
            ctx.pb(pb);
            Ffmpeg.check(avformat_write_header(ctx, (AVDictionary) null), "FLV header");
        } catch (RuntimeException e) { // FfmpegException, or a codec FFmpeg could not open
            failed("could not connect: " + e.getMessage());
            return false;
        } finally {
            av_dict_free(opts);
        }
        originMicros = ptsMicros;
        lastVideoMicros = Long.MIN_VALUE;
        backoffMs = FIRST_BACKOFF_MS;
        counters.connects.increment();
        status = new RestreamStatus(target.id(), target.display(), RestreamStatus.State.LIVE, null);
        LOG.info("channel {}: restreaming to {}", slug, target.display());
        return true;
    }

    private void failed(String why) {
        counters.failures.increment();
        closeMuxer(false);
        retryAtNanos = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(backoffMs);
        // The URL holds the destination's key: FFmpeg's message may echo it, so it is cut out.
        String detail = why.replace(target.url(), target.display()) + "; retrying in " + backoffMs / 1000 + " s.";
        status = new RestreamStatus(target.id(), target.display(), RestreamStatus.State.FAILED, detail);
        LOG.warn("channel {}: restream to {} {}", slug, target.display(), detail);
        backoffMs = Math.min(MAX_BACKOFF_MS, backoffMs * 2);
        waitKeyframe = true;
    }

    private void closeMuxer(boolean trailer) {
        if (ctx == null) return;
        try {
            if (trailer && ctx.pb() != null && !ctx.pb().isNull()) av_write_trailer(ctx);
        } catch (RuntimeException e) {
            // the destination is gone: nothing to finish
        }
        if (ctx.pb() != null && !ctx.pb().isNull()) avio_closep(ctx.pb());
        avformat_free_context(ctx);
        ctx = null;
        if (aac != null) {
            aac.close();
            aac = null;
        }
    }
}
