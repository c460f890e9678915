package live.cascade.hls.record;

import live.cascade.hls.media.Ffmpeg;
import live.cascade.hls.media.FfmpegException;
import org.bytedeco.ffmpeg.avcodec.AVPacket;
import org.bytedeco.ffmpeg.avformat.AVFormatContext;
import org.bytedeco.ffmpeg.avformat.AVIOContext;
import org.bytedeco.ffmpeg.avformat.AVStream;
import org.bytedeco.ffmpeg.avutil.AVDictionary;
import org.bytedeco.ffmpeg.avutil.AVRational;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.bytedeco.ffmpeg.global.avcodec.AV_PKT_FLAG_KEY;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_alloc;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_free;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_unref;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_parameters_copy;
import static org.bytedeco.ffmpeg.global.avformat.AVIO_FLAG_WRITE;
import static org.bytedeco.ffmpeg.global.avformat.AVSEEK_FLAG_BACKWARD;
import static org.bytedeco.ffmpeg.global.avformat.av_interleaved_write_frame;
import static org.bytedeco.ffmpeg.global.avformat.av_read_frame;
import static org.bytedeco.ffmpeg.global.avformat.av_seek_frame;
import static org.bytedeco.ffmpeg.global.avformat.av_write_trailer;
import static org.bytedeco.ffmpeg.global.avformat.avformat_alloc_output_context2;
import static org.bytedeco.ffmpeg.global.avformat.avformat_close_input;
import static org.bytedeco.ffmpeg.global.avformat.avformat_find_stream_info;
import static org.bytedeco.ffmpeg.global.avformat.avformat_free_context;
import static org.bytedeco.ffmpeg.global.avformat.avformat_new_stream;
import static org.bytedeco.ffmpeg.global.avformat.avformat_open_input;
import static org.bytedeco.ffmpeg.global.avformat.avformat_write_header;
import static org.bytedeco.ffmpeg.global.avformat.avio_closep;
import static org.bytedeco.ffmpeg.global.avformat.avio_open;
import static org.bytedeco.ffmpeg.global.avutil.AVMEDIA_TYPE_AUDIO;
import static org.bytedeco.ffmpeg.global.avutil.AVMEDIA_TYPE_VIDEO;
import static org.bytedeco.ffmpeg.global.avutil.AV_NOPTS_VALUE;
import static org.bytedeco.ffmpeg.global.avutil.AV_TIME_BASE;
import static org.bytedeco.ffmpeg.global.avutil.av_dict_free;
import static org.bytedeco.ffmpeg.global.avutil.av_dict_set;
import static org.bytedeco.ffmpeg.global.avutil.av_make_q;
import static org.bytedeco.ffmpeg.global.avutil.av_rescale_q;

/**
 * Cuts a clip out of a recording without re-encoding: it starts at the last keyframe at or before the requested start
 * (a clip cannot begin between keyframes without decoding), so it may start up to one GOP early, and it ends at the
 * requested end. The clip has the recording's container and, for MP4, its fragmented layout, so it plays the same ways.
 */
public final class ClipCutter {
    /** What was written. */
    public record Clip(Path file, long startMicros, long durationMicros, long bytes) {
    }

    private ClipCutter() {}

    /**
     * @param startMicros from the recording's start
     * @param endMicros   from the recording's start; past the end means "to the end"
     * @throws FfmpegException when the recording cannot be read or the clip cannot be written
     * @throws IllegalArgumentException when there is no video keyframe before {@code endMicros}
     */
    public static Clip cut(Path source, Path target, long startMicros, long endMicros) {
        Ffmpeg.load();
        Container container = Container.forExtension(extension(target));
        AVFormatContext in = new AVFormatContext(null);
        Ffmpeg.check(avformat_open_input(in, source.toString(), null, null), "open " + source);
        AVFormatContext out = null;
        AVPacket pkt = av_packet_alloc();
        boolean headerWritten = false;
        try {
            Ffmpeg.check(avformat_find_stream_info(in, (AVDictionary) null), "probe " + source);
            int n = in.nb_streams();
            int videoStream = -1;
            for (int i = 0; i < n; i++) if (in.streams(i).codecpar().codec_type() == AVMEDIA_TYPE_VIDEO) videoStream = i;
            out = new AVFormatContext(null);
            Ffmpeg.check(avformat_alloc_output_context2(out, null, container.muxer(), target.toString()), "clip muxer");
            int[] map = new int[n];
            for (int i = 0; i < n; i++) {
                int type = in.streams(i).codecpar().codec_type();
                if (type != AVMEDIA_TYPE_VIDEO && type != AVMEDIA_TYPE_AUDIO) {
                    map[i] = -1;
                    continue;
                }
                AVStream os = avformat_new_stream(out, null);
                Ffmpeg.check(avcodec_parameters_copy(os.codecpar(), in.streams(i).codecpar()), "copy stream parameters");
                os.codecpar().codec_tag(0);
                os.time_base(in.streams(i).time_base());
                map[i] = os.index();
            }
            // Seek to the keyframe at or before the start (in AV_TIME_BASE units with stream -1).
            if (startMicros > 0) av_seek_frame(in, -1, startMicros, AVSEEK_FLAG_BACKWARD);
            Files.createDirectories(target.getParent());
            AVIOContext pb = new AVIOContext(null);
            Ffmpeg.check(avio_open(pb, target.toString(), AVIO_FLAG_WRITE), "open " + target);
            out.pb(pb);
            AVDictionary opts = new AVDictionary(null);
            try {
                if (container == Container.MP4) {
                    av_dict_set(opts, "movflags", "frag_keyframe+empty_moov+default_base_moof", 0);
                    av_dict_set(opts, "min_frag_duration", "2000000", 0);
                }
                Ffmpeg.check(avformat_write_header(out, opts), "clip header");
                headerWritten = true;
            } finally {
                av_dict_free(opts);
            }
            AVRational micros = av_make_q(1, AV_TIME_BASE);
            long origin = Long.MIN_VALUE; // clip start in microseconds, the first keyframe taken
            long end = Long.MIN_VALUE;
            boolean videoDone = videoStream < 0;
            boolean audioDone = false;
            while (av_read_frame(in, pkt) >= 0) {
                try {
                    int s = pkt.stream_index();
                    if (s < 0 || s >= n || map[s] < 0 || pkt.pts() == AV_NOPTS_VALUE) continue;
                    AVStream is = in.streams(s);
                    long pts = av_rescale_q(pkt.pts(), is.time_base(), micros);
                    boolean video = s == videoStream;
                    if (origin == Long.MIN_VALUE) {
                        // The clip begins at a video keyframe (or the first packet of an audio-only recording).
                        if (videoStream >= 0 && !(video && (pkt.flags() & AV_PKT_FLAG_KEY) != 0)) continue;
                        if (pts > endMicros) break;
                        origin = pts;
                    }
                    if (pts < origin) continue;
                    if (pts >= endMicros) {
                        if (video) videoDone = true;
                        else audioDone = true;
                        if (videoDone && audioDone) break;
                        continue;
                    }
                    long shift = av_rescale_q(origin, micros, is.time_base());
                    AVStream os = out.streams(map[s]);
                    long inPts = pkt.pts();
                    long inDts = pkt.dts() == AV_NOPTS_VALUE ? inPts : pkt.dts();
                    pkt.pts(av_rescale_q(inPts - shift, is.time_base(), os.time_base()));
                    pkt.dts(av_rescale_q(inDts - shift, is.time_base(), os.time_base()));
                    long dur = av_rescale_q(pkt.duration(), is.time_base(), micros);
                    pkt.duration(av_rescale_q(pkt.duration(), is.time_base(), os.time_base()));
                    pkt.stream_index(map[s]);
                    pkt.pos(-1);
                    Ffmpeg.check(av_interleaved_write_frame(out, pkt), "write clip");
                    end = Math.max(end, pts + dur);
                } finally {
                    av_packet_unref(pkt);
                }
            }
            if (origin == Long.MIN_VALUE) throw new IllegalArgumentException("the recording has no keyframe before " + endMicros / 1000 + " ms");
            Ffmpeg.check(av_write_trailer(out), "clip trailer");
            long bytes;
            try {
                bytes = Files.size(target);
            } catch (IOException e) {
                bytes = 0;
            }
            return new Clip(target, origin, Math.max(0, end - origin), bytes);
        } catch (IOException e) {
            throw new FfmpegException("cannot create " + target.getParent() + ": " + e.getMessage());
        } finally {
            av_packet_free(pkt);
            if (out != null) {
                if (out.pb() != null && !out.pb().isNull()) avio_closep(out.pb());
                avformat_free_context(out);
            }
            avformat_close_input(in);
            if (!headerWritten) {
                try {
                    Files.deleteIfExists(target);
                } catch (IOException ignored) {
                    // nothing useful was written anyway
                }
            }
        }
    }

    private static String extension(Path p) {
        String n = p.getFileName().toString();
        int dot = n.lastIndexOf('.');
        return dot < 0 ? "" : n.substring(dot + 1);
    }
}
