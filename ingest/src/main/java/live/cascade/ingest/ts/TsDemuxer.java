package live.cascade.ingest.ts;

import static org.bytedeco.ffmpeg.global.avcodec.AV_CODEC_ID_AAC;
import static org.bytedeco.ffmpeg.global.avcodec.AV_CODEC_ID_BIN_DATA;
import static org.bytedeco.ffmpeg.global.avcodec.AV_CODEC_ID_H264;
import static org.bytedeco.ffmpeg.global.avcodec.AV_CODEC_ID_HEVC;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_alloc;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_get_name;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_free;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_unref;
import static org.bytedeco.ffmpeg.global.avformat.av_find_input_format;
import static org.bytedeco.ffmpeg.global.avformat.av_read_frame;
import static org.bytedeco.ffmpeg.global.avformat.avformat_alloc_context;
import static org.bytedeco.ffmpeg.global.avformat.avformat_close_input;
import static org.bytedeco.ffmpeg.global.avformat.avformat_open_input;
import static org.bytedeco.ffmpeg.global.avformat.avio_alloc_context;
import static org.bytedeco.ffmpeg.global.avformat.avio_context_free;
import static org.bytedeco.ffmpeg.global.avutil.AVERROR_EOF;
import static org.bytedeco.ffmpeg.global.avutil.AVMEDIA_TYPE_VIDEO;
import static org.bytedeco.ffmpeg.global.avutil.AV_NOPTS_VALUE;
import static org.bytedeco.ffmpeg.global.avutil.av_free;
import static org.bytedeco.ffmpeg.global.avutil.av_malloc;
import static org.bytedeco.ffmpeg.global.avutil.av_make_q;
import static org.bytedeco.ffmpeg.global.avutil.av_rescale_q;

import org.bytedeco.ffmpeg.avcodec.AVPacket;
import org.bytedeco.ffmpeg.avformat.AVFormatContext;
import org.bytedeco.ffmpeg.avformat.AVIOContext;
import org.bytedeco.ffmpeg.avformat.AVInputFormat;
import org.bytedeco.ffmpeg.avformat.AVStream;
import org.bytedeco.ffmpeg.avformat.Read_packet_Pointer_BytePointer_int;
import org.bytedeco.ffmpeg.avutil.AVRational;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.Loader;
import org.bytedeco.javacpp.Pointer;

/**
 * FFmpeg's MPEG-TS demuxer over a byte source of ours (a custom AVIOContext whose read callback pulls from an SRT
 * socket): H.264, HEVC and AAC packets out with 90 kHz times; other streams are skipped. {@link #run} blocks on the calling
 * thread until the source ends or {@link Sink} asks to stop.
 *
 * <p>One read callback for all demuxers: JavaCPP allots a small fixed number of native thunks per callback class,
 * and each publish would take one. The callback finds its source through a thread-local, since FFmpeg calls it on the
 * thread inside {@code av_read_frame}.
 */
public final class TsDemuxer {
    static final int IO_BUFFER = 32 * 1316;
    /** avformat.h: the caller supplied its own AVIOContext (not exported by Bytedeco). */
    private static final int AVFMT_FLAG_CUSTOM_IO = 0x0080;
    /**
     * avformat.h: no parsers (and so no filling in of times, which works on parsed frames). The H.264/HEVC parser
     * hands out an access unit only once it has seen the start of the next one, a frame (33 ms at 30 fps) after the
     * demuxer could; encoders put one access unit in each PES, which is what the demuxer hands out without it.
     */
    private static final int AVFMT_FLAG_NOPARSE = 0x0020, AVFMT_FLAG_NOFILLIN = 0x0010;
    private static final ThreadLocal<Source> CURRENT = new ThreadLocal<>();
    private static volatile Read_packet_Pointer_BytePointer_int read;

    private TsDemuxer() {}

    /** Where the TS bytes come from. */
    @FunctionalInterface
    public interface Source {
        /** Fills at most {@code capacity} bytes at native {@code address}; returns the count, or ≤ 0 at the end. */
        int read(long address, int capacity);
    }

    /** An audio frame's time when the stream gave none. */
    public static final long NO_TIME = Long.MIN_VALUE;

    /** Where the demuxed media goes; the arrays are reused after each call returns. */
    public interface Sink {
        /** One H.264 access unit (Annex B). */
        void video(byte[] data, int len, long pts90, long dts90);

        /** One HEVC access unit (Annex B). */
        void hevc(byte[] data, int len, long pts90, long dts90);

        /** @param pts90 {@link #NO_TIME} for the frames after the first of a PES */
        void audio(byte[] data, int len, long pts90);

        /**
         * A video stream that is neither H.264 nor HEVC (named for people), or an unnamed private stream in a TS
         * without either; once per stream. The bundled FFmpeg (8.1) neither writes nor reads AV1 in MPEG-TS as AV1:
         * its muxer writes it as a private stream (type 0x06, no descriptor) and its demuxer reads that as data.
         */
        default void unsupportedVideo(String what) { }
    }

    /**
     * Demuxes until the source ends.
     *
     * @return why it stopped, for the log
     */
    public static String run(Source source, Sink sink) {
        Read_packet_Pointer_BytePointer_int callback = callback();
        // Video frames out with their last byte rather than when the next frame starts (see PesCloser).
        CURRENT.set(new PesCloser(source));
        BytePointer buffer = new BytePointer(av_malloc(IO_BUFFER));
        AVIOContext io = avio_alloc_context(buffer, IO_BUFFER, 0, null, callback, null, null);
        AVFormatContext fmt = avformat_alloc_context();
        fmt.pb(io);
        fmt.flags(fmt.flags() | AVFMT_FLAG_CUSTOM_IO | AVFMT_FLAG_NOPARSE | AVFMT_FLAG_NOFILLIN);
        AVPacket pkt = av_packet_alloc();
        byte[] data = new byte[256 * 1024];
        AVRational ts90 = av_make_q(1, 90_000);
        try {
            AVInputFormat mpegts = av_find_input_format("mpegts");
            int r = avformat_open_input(fmt, (String) null, mpegts, null);
            if (r < 0) {
                fmt = null; // freed by avformat_open_input on failure
                return "the stream is not MPEG-TS (" + r + ")";
            }
            long told = 0; // streams already looked at for unsupportedVideo, by index
            while (true) {
                r = av_read_frame(fmt, pkt);
                if (r < 0) return r == AVERROR_EOF ? "the caller stopped sending" : "the demuxer stopped (" + r + ")";
                try {
                    AVStream st = fmt.streams(pkt.stream_index());
                    int codec = st.codecpar().codec_id();
                    int size = pkt.size();
                    if (codec != AV_CODEC_ID_H264 && codec != AV_CODEC_ID_HEVC && codec != AV_CODEC_ID_AAC) {
                        int index = pkt.stream_index();
                        if (index < 64 && (told & (1L << index)) == 0) {
                            told |= 1L << index;
                            String what = unsupportedVideo(fmt, st);
                            if (what != null) sink.unsupportedVideo(what);
                        }
                        continue;
                    }
                    if (size <= 0) continue;
                    if (size > data.length) data = new byte[Math.max(size, data.length * 2)];
                    pkt.data().get(data, 0, size);
                    long pts = pkt.pts() == AV_NOPTS_VALUE ? pkt.dts() : pkt.pts();
                    long dts = pkt.dts() == AV_NOPTS_VALUE ? pts : pkt.dts();
                    if (pts != AV_NOPTS_VALUE) {
                        pts = av_rescale_q(pts, st.time_base(), ts90);
                        dts = av_rescale_q(dts, st.time_base(), ts90);
                    }
                    // The AAC parser splits a PES of several frames and only the first keeps a time: the sink
                    // continues the audio timeline for the rest. A video unit without a time cannot be placed.
                    if (codec == AV_CODEC_ID_H264) {
                        if (pts != AV_NOPTS_VALUE) sink.video(data, size, pts, dts);
                    } else if (codec == AV_CODEC_ID_HEVC) {
                        if (pts != AV_NOPTS_VALUE) sink.hevc(data, size, pts, dts);
                    } else {
                        sink.audio(data, size, pts == AV_NOPTS_VALUE ? NO_TIME : pts);
                    }
                } finally {
                    av_packet_unref(pkt);
                }
            }
        } finally {
            CURRENT.remove();
            av_packet_free(pkt);
            if (fmt != null) avformat_close_input(fmt);
            // With custom I/O the context and its (possibly reallocated) buffer are ours to free.
            av_free(io.buffer());
            io.buffer(null);
            avio_context_free(io);
            ts90.close();
        }
    }

    /** What to tell of a stream the node skips, or null when it is nothing like a picture. */
    private static String unsupportedVideo(AVFormatContext fmt, AVStream st) {
        int codec = st.codecpar().codec_id();
        if (st.codecpar().codec_type() == AVMEDIA_TYPE_VIDEO) return avcodec_get_name(codec).getString();
        if (codec != AV_CODEC_ID_BIN_DATA) return null;
        for (int i = 0; i < fmt.nb_streams(); i++) {
            int other = fmt.streams(i).codecpar().codec_id();
            if (other == AV_CODEC_ID_H264 || other == AV_CODEC_ID_HEVC) return null;
        }
        return "an unnamed private stream, which is how FFmpeg muxes AV1 into MPEG-TS";
    }

    /**
     * Loads FFmpeg's native demuxer now rather than in the first publish: a listener calls it at start, because the
     * first load (the libraries, under a busy machine seconds) would otherwise hold that publisher's first reads while
     * its frames pile up (a CI run's first SRT publish delivered nothing within its 5 s).
     */
    public static void load() { callback(); }

    private static Read_packet_Pointer_BytePointer_int callback() {
        Read_packet_Pointer_BytePointer_int c = read;
        if (c != null) return c;
        synchronized (TsDemuxer.class) {
            if (read == null) {
                Loader.load(org.bytedeco.ffmpeg.global.avformat.class);
                read = new Read_packet_Pointer_BytePointer_int() {
                    @Override
                    public int call(Pointer opaque, BytePointer buf, int size) {
                        Source s = CURRENT.get();
                        int n = s == null ? 0 : s.read(buf.address(), size);
                        return n > 0 ? n : AVERROR_EOF;
                    }
                };
            }
            return read;
        }
    }
}
