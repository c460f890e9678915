package live.cascade.hls.media;

import org.bytedeco.ffmpeg.avcodec.AVCodec;
import org.bytedeco.ffmpeg.avcodec.AVCodecContext;
import org.bytedeco.ffmpeg.avcodec.AVPacket;
import org.bytedeco.ffmpeg.avutil.AVAudioFifo;
import org.bytedeco.ffmpeg.avutil.AVChannelLayout;
import org.bytedeco.ffmpeg.avutil.AVFrame;
import org.bytedeco.ffmpeg.swresample.SwrContext;
import org.bytedeco.javacpp.PointerPointer;

import java.util.function.Consumer;

import static org.bytedeco.ffmpeg.global.avcodec.AV_CODEC_FLAG_GLOBAL_HEADER;
import static org.bytedeco.ffmpeg.global.avcodec.AV_CODEC_ID_AAC;
import static org.bytedeco.ffmpeg.global.avcodec.AV_CODEC_ID_OPUS;
import static org.bytedeco.ffmpeg.global.avcodec.av_new_packet;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_alloc;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_free;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_unref;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_alloc_context3;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_find_decoder;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_find_encoder_by_name;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_flush_buffers;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_free_context;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_open2;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_receive_frame;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_receive_packet;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_send_frame;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_send_packet;
import static org.bytedeco.ffmpeg.global.avutil.AVERROR_EAGAIN;
import static org.bytedeco.ffmpeg.global.avutil.AVERROR_EOF;
import static org.bytedeco.ffmpeg.global.avutil.AV_SAMPLE_FMT_FLTP;
import static org.bytedeco.ffmpeg.global.avutil.av_audio_fifo_alloc;
import static org.bytedeco.ffmpeg.global.avutil.av_audio_fifo_free;
import static org.bytedeco.ffmpeg.global.avutil.av_audio_fifo_read;
import static org.bytedeco.ffmpeg.global.avutil.av_audio_fifo_reset;
import static org.bytedeco.ffmpeg.global.avutil.av_audio_fifo_size;
import static org.bytedeco.ffmpeg.global.avutil.av_audio_fifo_write;
import static org.bytedeco.ffmpeg.global.avutil.av_channel_layout_default;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_alloc;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_free;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_get_buffer;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_make_writable;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_unref;
import static org.bytedeco.ffmpeg.global.avutil.av_make_q;
import static org.bytedeco.ffmpeg.global.avutil.av_samples_set_silence;
import static org.bytedeco.ffmpeg.global.swresample.swr_alloc_set_opts2;
import static org.bytedeco.ffmpeg.global.swresample.swr_convert;
import static org.bytedeco.ffmpeg.global.swresample.swr_free;
import static org.bytedeco.ffmpeg.global.swresample.swr_init;

/**
 * Opus packets in, AAC-LC packets out (48 kHz stereo), for HLS players: Safari and many TVs do not take Opus in
 * fMP4. Opus frames are 20 ms (960 samples) and AAC frames 1024 samples, so decoded audio passes through a FIFO.
 * Timestamps stay on the tap's timeline: a gap in the input (lost packets, a muted sender) up to a second is filled
 * with silence, so the AAC stream stays continuous; a longer gap restarts it at the new time.
 */
public final class AudioTranscoder implements AutoCloseable {
    public static final int RATE = 48_000;
    private static final int CHANNELS = 2;
    private static final long MAX_SILENCE_FILL = RATE;

    private final AVCodecContext decoder;
    private final AVCodecContext encoder;
    private final AVPacket pkt = av_packet_alloc();
    private final AVPacket outPkt = av_packet_alloc();
    private final AVFrame decoded = av_frame_alloc();
    private final AVFrame converted = av_frame_alloc();
    private final AVFrame aacFrame = av_frame_alloc();
    private final AVAudioFifo fifo;
    private final StreamFormat format;
    private final int frameSize;
    private SwrContext swr;
    private int swrInFormat = -1;
    private int swrInRate = -1;
    private int swrInChannels = -1;
    /** Timeline tick (48 kHz) of the first sample in the FIFO, and of the sample after the last one. */
    private long fifoStart = Long.MIN_VALUE;
    private long decodeErrors;

    public AudioTranscoder(int sourceChannels, long bitRate) {
        Ffmpeg.load();
        AVCodec opus = avcodec_find_decoder(AV_CODEC_ID_OPUS);
        decoder = avcodec_alloc_context3(opus);
        decoder.sample_rate(RATE);
        av_channel_layout_default(decoder.ch_layout(), Math.max(1, Math.min(2, sourceChannels)));
        decoder.pkt_timebase(av_make_q(1, RATE));
        Ffmpeg.check(avcodec_open2(decoder, opus, (org.bytedeco.ffmpeg.avutil.AVDictionary) null), "open opus decoder");
        AVCodec aac = avcodec_find_encoder_by_name("aac");
        if (aac == null || aac.isNull()) throw new FfmpegException("no aac encoder in this FFmpeg build");
        encoder = avcodec_alloc_context3(aac);
        encoder.sample_rate(RATE);
        encoder.sample_fmt(AV_SAMPLE_FMT_FLTP);
        av_channel_layout_default(encoder.ch_layout(), CHANNELS);
        encoder.bit_rate(bitRate);
        encoder.time_base(av_make_q(1, RATE));
        encoder.flags(encoder.flags() | AV_CODEC_FLAG_GLOBAL_HEADER);
        Ffmpeg.check(avcodec_open2(encoder, aac, (org.bytedeco.ffmpeg.avutil.AVDictionary) null), "open aac encoder");
        frameSize = encoder.frame_size();
        fifo = av_audio_fifo_alloc(AV_SAMPLE_FMT_FLTP, CHANNELS, RATE);
        aacFrame.nb_samples(frameSize);
        aacFrame.format(AV_SAMPLE_FMT_FLTP);
        av_channel_layout_default(aacFrame.ch_layout(), CHANNELS);
        aacFrame.sample_rate(RATE);
        Ffmpeg.check(av_frame_get_buffer(aacFrame, 0), "aac frame buffer");
        byte[] asc = new byte[encoder.extradata_size()];
        if (asc.length > 0) encoder.extradata().get(asc);
        format = new StreamFormat(false, AV_CODEC_ID_AAC, 0, 0, RATE, CHANNELS, asc, RATE, bitRate, frameSize, "mp4a.40.2");
    }

    public StreamFormat format() { return format; }

    /** Decodes one Opus packet placed at {@code ptsMicros} and emits every AAC packet that completes. */
    public void transcode(byte[] opus, long ptsMicros, Consumer<MediaPacket> out) {
        if (av_new_packet(pkt, opus.length) < 0) return;
        pkt.data().put(opus, 0, opus.length);
        long ticks = MediaPacket.ticks(ptsMicros, RATE);
        pkt.pts(ticks);
        pkt.dts(ticks);
        int r = avcodec_send_packet(decoder, pkt);
        av_packet_unref(pkt);
        if (r < 0) {
            decodeErrors++;
            return;
        }
        while (true) {
            r = avcodec_receive_frame(decoder, decoded);
            if (r == AVERROR_EAGAIN() || r == AVERROR_EOF) break;
            if (r < 0) {
                decodeErrors++;
                break;
            }
            try {
                push(decoded, decoded.pts() == org.bytedeco.ffmpeg.global.avutil.AV_NOPTS_VALUE ? ticks : decoded.pts());
            } finally {
                av_frame_unref(decoded);
            }
        }
        encodeWhole(out);
    }

    /** Converts a decoded frame to 48 kHz stereo float planes and appends it to the FIFO at timeline tick {@code at}. */
    private void push(AVFrame in, long at) {
        int inChannels = in.ch_layout().nb_channels();
        if (swr == null || in.format() != swrInFormat || in.sample_rate() != swrInRate || inChannels != swrInChannels) {
            if (swr != null) swr_free(swr);
            swr = new SwrContext(null);
            AVChannelLayout outLayout = new AVChannelLayout();
            av_channel_layout_default(outLayout, CHANNELS);
            Ffmpeg.check(swr_alloc_set_opts2(swr, outLayout, AV_SAMPLE_FMT_FLTP, RATE, in.ch_layout(), in.format(), in.sample_rate(), 0, null), "swr_alloc_set_opts2");
            Ffmpeg.check(swr_init(swr), "swr_init");
            swrInFormat = in.format();
            swrInRate = in.sample_rate();
            swrInChannels = inChannels;
        }
        int capacity = (int) ((long) in.nb_samples() * RATE / Math.max(1, in.sample_rate())) + 256;
        if (converted.nb_samples() < capacity || converted.format() != AV_SAMPLE_FMT_FLTP) {
            av_frame_unref(converted);
            converted.nb_samples(capacity);
            converted.format(AV_SAMPLE_FMT_FLTP);
            av_channel_layout_default(converted.ch_layout(), CHANNELS);
            converted.sample_rate(RATE);
            Ffmpeg.check(av_frame_get_buffer(converted, 0), "audio buffer");
        }
        int n = swr_convert(swr, converted.data(), capacity, in.data(), in.nb_samples());
        if (n <= 0) return;
        long end = fifoStart == Long.MIN_VALUE ? Long.MIN_VALUE : fifoStart + av_audio_fifo_size(fifo);
        if (end == Long.MIN_VALUE) {
            fifoStart = at;
        } else {
            long gap = at - end;
            if (gap > frameSize / 2 && gap <= MAX_SILENCE_FILL) {
                fillSilence((int) gap);
            } else if (gap > MAX_SILENCE_FILL || gap < -MAX_SILENCE_FILL) {
                // A long pause (or a jump back): restart the FIFO at the new time.
                av_audio_fifo_reset(fifo);
                fifoStart = at;
            }
            // Small differences are timestamp jitter: keep the stream contiguous.
        }
        av_audio_fifo_write(fifo, converted.data(), n);
    }

    private void fillSilence(int samples) {
        while (samples > 0) {
            int n = Math.min(samples, frameSize);
            Ffmpeg.check(av_frame_make_writable(aacFrame), "audio frame");
            av_samples_set_silence(aacFrame.data(), 0, n, CHANNELS, AV_SAMPLE_FMT_FLTP);
            av_audio_fifo_write(fifo, aacFrame.data(), n);
            samples -= n;
        }
    }

    private void encodeWhole(Consumer<MediaPacket> out) {
        while (av_audio_fifo_size(fifo) >= frameSize) {
            Ffmpeg.check(av_frame_make_writable(aacFrame), "audio frame");
            av_audio_fifo_read(fifo, aacFrame.data(), frameSize);
            aacFrame.nb_samples(frameSize);
            aacFrame.pts(fifoStart);
            fifoStart += frameSize;
            Ffmpeg.check(avcodec_send_frame(encoder, aacFrame), "encode aac");
            receive(out);
        }
    }

    private void receive(Consumer<MediaPacket> out) {
        while (true) {
            int r = avcodec_receive_packet(encoder, outPkt);
            if (r == AVERROR_EAGAIN() || r == AVERROR_EOF) return;
            Ffmpeg.check(r, "receive aac packet");
            try {
                // The encoder's first packet carries its priming (pts before the first input): nothing to play.
                if (outPkt.pts() < 0) continue;
                byte[] data = new byte[outPkt.size()];
                outPkt.data().get(data);
                long duration = outPkt.duration() > 0 ? outPkt.duration() : frameSize;
                out.accept(new MediaPacket(data, outPkt.pts(), outPkt.dts(), duration, RATE, true));
            } finally {
                av_packet_unref(outPkt);
            }
        }
    }

    /** A new source stream follows (reconnect): forget buffered input; the AAC stream continues at the new time. */
    public void restart() {
        avcodec_flush_buffers(decoder);
        av_audio_fifo_reset(fifo);
        fifoStart = Long.MIN_VALUE;
    }

    public long decodeErrors() { return decodeErrors; }

    @Override
    public void close() {
        avcodec_free_context(decoder);
        avcodec_free_context(encoder);
        av_packet_free(pkt);
        av_packet_free(outPkt);
        av_frame_free(decoded);
        av_frame_free(converted);
        av_frame_free(aacFrame);
        if (fifo != null) av_audio_fifo_free(fifo);
        if (swr != null) swr_free(swr);
    }
}
