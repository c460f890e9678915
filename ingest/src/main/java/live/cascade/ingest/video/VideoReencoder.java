package live.cascade.ingest.video;

import static org.bytedeco.ffmpeg.global.avcodec.AV_CODEC_ID_H264;
import static org.bytedeco.ffmpeg.global.avcodec.AV_PKT_FLAG_KEY;
import static org.bytedeco.ffmpeg.global.avcodec.av_new_packet;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_alloc;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_free;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_unref;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_alloc_context3;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_find_decoder;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_find_encoder_by_name;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_free_context;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_open2;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_receive_frame;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_receive_packet;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_send_frame;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_send_packet;
import static org.bytedeco.ffmpeg.global.avutil.AVERROR_EAGAIN;
import static org.bytedeco.ffmpeg.global.avutil.AVERROR_EOF;
import static org.bytedeco.ffmpeg.global.avutil.AV_NOPTS_VALUE;
import static org.bytedeco.ffmpeg.global.avutil.AV_PICTURE_TYPE_I;
import static org.bytedeco.ffmpeg.global.avutil.AV_PICTURE_TYPE_NONE;
import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_YUV420P;
import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_YUVJ420P;
import static org.bytedeco.ffmpeg.global.avutil.av_dict_free;
import static org.bytedeco.ffmpeg.global.avutil.av_dict_set;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_alloc;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_free;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_unref;
import static org.bytedeco.ffmpeg.global.avutil.av_make_q;
import static org.bytedeco.ffmpeg.global.avutil.av_malloc;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import org.bytedeco.ffmpeg.avcodec.AVCodec;
import org.bytedeco.ffmpeg.avcodec.AVCodecContext;
import org.bytedeco.ffmpeg.avcodec.AVPacket;
import org.bytedeco.ffmpeg.avutil.AVDictionary;
import org.bytedeco.ffmpeg.avutil.AVFrame;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.Loader;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * H.264 with B-frames in, H.264 without them out ({@code --ingest-bframes reencode}): WebRTC viewers then get frames
 * in presentation order. libavcodec's decoder and libx264 (veryfast, zero-latency tuning: no B-frames, no lookahead),
 * at the source's size, with an IDR wherever the source had one (its GOP, and the GOP cache's joins, stay as the
 * creator set them), in the source's profile class so the SDP the viewers negotiated still holds.
 *
 * <p>Its own platform thread and a bounded queue: the connection's thread only hands frames over. When the queue is
 * full (the machine cannot keep up) frames are dropped, counted, and decoding resumes at the next source keyframe.
 */
public final class VideoReencoder implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(VideoReencoder.class);
    /** About 2 s of 60 fps video. */
    static final int QUEUE = 120;
    /** Quality target and a ceiling (bit/s) for the re-encode; the source's own rate is not known in advance. */
    static final String CRF = "23";
    static final int MAX_RATE = 6_000_000;

    /** Receives each re-encoded access unit: NAL units with 4-byte length prefixes, on the re-encoder's thread. */
    @FunctionalInterface
    public interface Sink {
        void frame(byte[] avcc, long ptsMillis, boolean keyframe);
    }

    private record Job(byte[] data, int off, int len, long dtsMillis, long ptsMillis, boolean keyframe) {}

    private static final Job END = new Job(new byte[0], 0, 0, 0, 0, false);

    private final String name;
    private final String profile;
    private final int level;
    private final Sink sink;
    private final LongAdder dropped;
    private final ArrayBlockingQueue<Job> queue = new ArrayBlockingQueue<>(QUEUE);
    private final Thread thread;
    private volatile boolean gap;

    // The re-encoder's thread only.
    private final AVCodecContext decoder;
    private AVCodecContext encoder;
    private int encoderWidth, encoderHeight, encoderFormat;
    private final AVPacket in = av_packet_alloc();
    private final AVPacket out = av_packet_alloc();
    private final AVFrame frame = av_frame_alloc();
    private boolean waitKeyframe = true; // the decoder starts at a keyframe
    private long lastPts = Long.MIN_VALUE;
    private long failures;

    /**
     * @param avcC    the AVC sequence header's body (AVCDecoderConfigurationRecord): SPS and PPS for the decoder
     * @param dropped counts frames dropped because the re-encode fell behind
     * @throws IllegalStateException when FFmpeg cannot open the H.264 decoder
     */
    public VideoReencoder(String name, byte[] avcC, Sink sink, LongAdder dropped) {
        Loader.load(org.bytedeco.ffmpeg.global.avutil.class);
        Loader.load(org.bytedeco.ffmpeg.global.avcodec.class);
        this.name = name;
        this.sink = sink;
        this.dropped = dropped;
        int profileIdc = avcC.length > 1 ? avcC[1] & 0xFF : 100;
        this.profile = profileIdc == 66 ? "baseline" : profileIdc == 77 ? "main" : "high";
        this.level = avcC.length > 3 ? avcC[3] & 0xFF : 0;
        AVCodec h264 = avcodec_find_decoder(AV_CODEC_ID_H264);
        decoder = avcodec_alloc_context3(h264);
        BytePointer extra = new BytePointer(av_malloc(avcC.length + 64));
        extra.position(0).put(avcC);
        for (int i = avcC.length; i < avcC.length + 64; i++) extra.put(i, (byte) 0);
        decoder.extradata(extra);
        decoder.extradata_size(avcC.length);
        decoder.pkt_timebase(av_make_q(1, 1000));
        decoder.thread_count(1); // frame threads would hold pictures back, one per thread
        int r = avcodec_open2(decoder, h264, (AVDictionary) null);
        if (r < 0) {
            releaseCodecs();
            throw new IllegalStateException("cannot open the H.264 decoder (" + r + ")");
        }
        this.thread = Thread.ofPlatform().daemon().name("reencode-" + name).unstarted(this::run);
        thread.start();
    }

    /**
     * Connection thread, never blocks: one FLV access unit ({@code data[off..off+len)}: length-prefixed NAL units of
     * the sequence header's length size, which the decoder's extradata names).
     */
    public void offer(byte[] data, int off, int len, long dtsMillis, long ptsMillis, boolean keyframe) {
        if (!queue.offer(new Job(data, off, len, dtsMillis, ptsMillis, keyframe))) {
            dropped.increment();
            gap = true;
        }
    }

    /** Stops the thread (what is queued is dropped) and frees the codecs. */
    @Override
    public void close() {
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
                Job j = queue.poll(1, TimeUnit.SECONDS);
                if (j == END) break;
                if (j == null) continue;
                if (gap) {
                    gap = false;
                    waitKeyframe = true;
                }
                if (waitKeyframe && !j.keyframe()) continue;
                waitKeyframe = false;
                try {
                    decode(j);
                } catch (RuntimeException e) {
                    if (failures++ == 0) LOG.warn("channel {}: re-encoding a frame failed; resuming at the next keyframe: {}", name, e.toString());
                    waitKeyframe = true;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            releaseCodecs();
        }
    }

    private void decode(Job j) {
        if (av_new_packet(in, j.len()) < 0) return;
        in.data().position(0).put(j.data(), j.off(), j.len());
        in.pts(j.ptsMillis());
        in.dts(j.dtsMillis());
        if (j.keyframe()) in.flags(in.flags() | AV_PKT_FLAG_KEY);
        int r = avcodec_send_packet(decoder, in);
        av_packet_unref(in);
        if (r < 0 && r != AVERROR_EAGAIN()) return; // a damaged frame: the decoder resyncs by itself
        while (true) {
            r = avcodec_receive_frame(decoder, frame);
            if (r == AVERROR_EAGAIN() || r == AVERROR_EOF || r < 0) return;
            try {
                encode(frame);
            } finally {
                av_frame_unref(frame);
            }
        }
    }

    private void encode(AVFrame f) {
        long pts = f.best_effort_timestamp();
        if (pts == AV_NOPTS_VALUE) pts = f.pts();
        if (pts <= lastPts) return; // x264 takes strictly increasing timestamps only
        lastPts = pts;
        if (encoder == null || f.width() != encoderWidth || f.height() != encoderHeight || f.format() != encoderFormat) openEncoder(f);
        boolean key = f.pict_type() == AV_PICTURE_TYPE_I;
        f.pts(pts);
        f.pict_type(key ? AV_PICTURE_TYPE_I : AV_PICTURE_TYPE_NONE);
        int r = avcodec_send_frame(encoder, f);
        if (r < 0) throw new IllegalStateException("libx264 refused a picture (" + r + ")");
        while (true) {
            r = avcodec_receive_packet(encoder, out);
            if (r == AVERROR_EAGAIN() || r == AVERROR_EOF) return;
            if (r < 0) throw new IllegalStateException("libx264 failed (" + r + ")");
            try {
                byte[] annexB = new byte[out.size()];
                out.data().position(0).get(annexB);
                byte[] avcc = AnnexB.toLengthPrefixed(annexB);
                if (avcc.length > 0) sink.frame(avcc, out.pts(), (out.flags() & AV_PKT_FLAG_KEY) != 0);
            } finally {
                av_packet_unref(out);
            }
        }
    }

    /** At the first picture, and when the source's size or pixel format changes (its new SPS). */
    private void openEncoder(AVFrame f) {
        if (encoder != null) avcodec_free_context(encoder);
        encoder = null;
        AVCodec x264 = avcodec_find_encoder_by_name("libx264");
        if (x264 == null || x264.isNull()) throw new IllegalStateException("this FFmpeg build has no libx264");
        AVCodecContext c = avcodec_alloc_context3(x264);
        c.width(f.width());
        c.height(f.height());
        c.pix_fmt(f.format());
        c.time_base(av_make_q(1, 1000));
        // The frame rate, not the millisecond time base, is what x264's rate control counts frames by: without it x264
        // assumes 1000 fps and the 6 Mbit/s ceiling leaves 6 kbit a frame (QP 43 at 720p, measured).
        c.framerate(frameRate());
        c.gop_size(600); // IDRs come where the source has them (forced below); this only bounds a very long GOP
        c.max_b_frames(0);
        c.rc_max_rate(MAX_RATE);
        c.rc_buffer_size(MAX_RATE);
        if (level > 0) c.level(level);
        AVDictionary opts = new AVDictionary(null);
        try {
            av_dict_set(opts, "preset", "veryfast", 0);
            av_dict_set(opts, "tune", "zerolatency", 0);
            av_dict_set(opts, "crf", CRF, 0);
            boolean yuv420 = f.format() == AV_PIX_FMT_YUV420P || f.format() == AV_PIX_FMT_YUVJ420P;
            if (yuv420) av_dict_set(opts, "profile", profile, 0);
            av_dict_set(opts, "forced-idr", "1", 0);
            av_dict_set(opts, "x264-params", "scenecut=0", 0);
            int r = avcodec_open2(c, x264, opts);
            if (r < 0) {
                avcodec_free_context(c);
                throw new IllegalStateException("cannot open libx264 at " + f.width() + "x" + f.height() + " (" + r + ")");
            }
        } finally {
            av_dict_free(opts);
        }
        encoder = c;
        encoderWidth = f.width();
        encoderHeight = f.height();
        encoderFormat = f.format();
        LOG.info("channel {}: re-encoding its video without B-frames for WebRTC viewers ({}x{}, libx264 {} veryfast)", name,
                encoderWidth, encoderHeight, profile);
    }

    /** The source's frame rate as its SPS declares it (the decoder has read it by the first picture), else 30. */
    private org.bytedeco.ffmpeg.avutil.AVRational frameRate() {
        org.bytedeco.ffmpeg.avutil.AVRational r = decoder.framerate();
        boolean plausible = r != null && r.num() > 0 && r.den() > 0 && r.num() <= 240L * r.den() && r.num() >= r.den();
        return plausible ? av_make_q(r.num(), r.den()) : av_make_q(30, 1);
    }

    private void releaseCodecs() {
        if (decoder != null && !decoder.isNull()) avcodec_free_context(decoder);
        if (encoder != null && !encoder.isNull()) avcodec_free_context(encoder);
        encoder = null;
        av_packet_free(in);
        av_packet_free(out);
        av_frame_free(frame);
    }
}
