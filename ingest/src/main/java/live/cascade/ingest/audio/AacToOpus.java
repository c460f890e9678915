package live.cascade.ingest.audio;

import static org.bytedeco.ffmpeg.global.avcodec.AV_CODEC_ID_AAC;
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
import static org.bytedeco.ffmpeg.global.avutil.AV_SAMPLE_FMT_FLT;
import static org.bytedeco.ffmpeg.global.avutil.av_audio_fifo_alloc;
import static org.bytedeco.ffmpeg.global.avutil.av_audio_fifo_free;
import static org.bytedeco.ffmpeg.global.avutil.av_audio_fifo_read;
import static org.bytedeco.ffmpeg.global.avutil.av_audio_fifo_size;
import static org.bytedeco.ffmpeg.global.avutil.av_audio_fifo_write;
import static org.bytedeco.ffmpeg.global.avutil.av_channel_layout_default;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_alloc;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_free;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_get_buffer;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_make_writable;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_unref;
import static org.bytedeco.ffmpeg.global.avutil.av_make_q;
import static org.bytedeco.ffmpeg.global.avutil.av_malloc;
import static org.bytedeco.ffmpeg.global.avutil.av_strerror;
import static org.bytedeco.ffmpeg.global.swresample.swr_alloc_set_opts2;
import static org.bytedeco.ffmpeg.global.swresample.swr_convert;
import static org.bytedeco.ffmpeg.global.swresample.swr_free;
import static org.bytedeco.ffmpeg.global.swresample.swr_init;

import org.bytedeco.ffmpeg.avcodec.AVCodec;
import org.bytedeco.ffmpeg.avcodec.AVCodecContext;
import org.bytedeco.ffmpeg.avcodec.AVPacket;
import org.bytedeco.ffmpeg.avutil.AVAudioFifo;
import org.bytedeco.ffmpeg.avutil.AVChannelLayout;
import org.bytedeco.ffmpeg.avutil.AVDictionary;
import org.bytedeco.ffmpeg.avutil.AVFrame;
import org.bytedeco.ffmpeg.swresample.SwrContext;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.Loader;

/**
 * AAC (as RTMP carries it: an AudioSpecificConfig, then raw frames) in, Opus out (48 kHz stereo, 20 ms packets), for
 * WebRTC viewers, who cannot take AAC. libavcodec's AAC decoder and libopus, through Bytedeco. The output's timeline
 * is the count of samples encoded, so RTP timestamps run on without gaps whatever the input's timestamps do.
 * One per publish, on its connection's thread.
 */
public final class AacToOpus implements AutoCloseable {
    public static final int RATE = 48_000;
    static final int CHANNELS = 2;
    private static volatile boolean loaded;

    private final AVCodecContext decoder;
    private final AVCodecContext encoder;
    private final AVPacket in = av_packet_alloc();
    private final AVPacket out = av_packet_alloc();
    private final AVFrame decoded = av_frame_alloc();
    private final AVFrame frame = av_frame_alloc();
    private final AVAudioFifo fifo;
    private final int frameSize;
    private SwrContext swr;
    private int swrFormat = -1, swrRate = -1, swrChannels = -1;
    private final AVFrame converted = av_frame_alloc();
    private long samplesEncoded;
    private long packetsOut;
    private long decodeErrors;

    /** Receives each Opus packet and the sample index (48 kHz) of its first sample. */
    @FunctionalInterface
    public interface OpusSink {
        void packet(byte[] data, int len, long sampleIndex);
    }

    /**
     * @param audioSpecificConfig the AAC sequence header's body
     * @throws IllegalStateException when FFmpeg cannot open the AAC decoder or the Opus encoder
     */
    public AacToOpus(byte[] audioSpecificConfig, int bitRate) {
        load();
        AVCodec aac = avcodec_find_decoder(AV_CODEC_ID_AAC);
        decoder = avcodec_alloc_context3(aac);
        BytePointer extra = new BytePointer(av_malloc(audioSpecificConfig.length + 64));
        extra.position(0).put(audioSpecificConfig);
        for (int i = audioSpecificConfig.length; i < audioSpecificConfig.length + 64; i++) extra.put(i, (byte) 0);
        decoder.extradata(extra);
        decoder.extradata_size(audioSpecificConfig.length);
        check(avcodec_open2(decoder, aac, (AVDictionary) null), "open the AAC decoder");
        AVCodec opus = avcodec_find_encoder_by_name("libopus");
        if (opus == null || opus.isNull()) throw new IllegalStateException("this FFmpeg build has no libopus encoder");
        encoder = avcodec_alloc_context3(opus);
        encoder.sample_rate(RATE);
        encoder.sample_fmt(AV_SAMPLE_FMT_FLT);
        av_channel_layout_default(encoder.ch_layout(), CHANNELS);
        encoder.bit_rate(bitRate);
        encoder.time_base(av_make_q(1, RATE));
        check(avcodec_open2(encoder, opus, (AVDictionary) null), "open the Opus encoder");
        frameSize = encoder.frame_size() > 0 ? encoder.frame_size() : 960;
        fifo = av_audio_fifo_alloc(AV_SAMPLE_FMT_FLT, CHANNELS, RATE);
        frame.nb_samples(frameSize);
        frame.format(AV_SAMPLE_FMT_FLT);
        av_channel_layout_default(frame.ch_layout(), CHANNELS);
        frame.sample_rate(RATE);
        check(av_frame_get_buffer(frame, 0), "audio frame");
    }

    static void load() {
        if (loaded) return;
        synchronized (AacToOpus.class) {
            if (loaded) return;
            Loader.load(org.bytedeco.ffmpeg.global.avutil.class);
            Loader.load(org.bytedeco.ffmpeg.global.avcodec.class);
            Loader.load(org.bytedeco.ffmpeg.global.swresample.class);
            loaded = true;
        }
    }

    /** Samples per Opus packet (960: 20 ms). */
    public int frameSize() { return frameSize; }

    public long decodeErrors() { return decodeErrors; }

    /** Decodes one raw AAC frame and emits every Opus packet that completes. */
    public void transcode(byte[] data, int off, int len, OpusSink sink) {
        if (len <= 0 || av_new_packet(in, len) < 0) return;
        in.data().position(0).put(data, off, len);
        int r = avcodec_send_packet(decoder, in);
        av_packet_unref(in);
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
                resample(decoded);
            } finally {
                av_frame_unref(decoded);
            }
        }
        encode(sink);
    }

    private void resample(AVFrame f) {
        int channels = f.ch_layout().nb_channels();
        if (swr == null || f.format() != swrFormat || f.sample_rate() != swrRate || channels != swrChannels) {
            if (swr != null) swr_free(swr);
            swr = new SwrContext(null);
            AVChannelLayout layout = new AVChannelLayout();
            av_channel_layout_default(layout, CHANNELS);
            check(swr_alloc_set_opts2(swr, layout, AV_SAMPLE_FMT_FLT, RATE, f.ch_layout(), f.format(), f.sample_rate(), 0, null), "swr_alloc_set_opts2");
            check(swr_init(swr), "swr_init");
            swrFormat = f.format();
            swrRate = f.sample_rate();
            swrChannels = channels;
        }
        int capacity = (int) ((long) f.nb_samples() * RATE / Math.max(1, f.sample_rate())) + 256;
        if (converted.nb_samples() < capacity) {
            av_frame_unref(converted);
            converted.nb_samples(capacity);
            converted.format(AV_SAMPLE_FMT_FLT);
            av_channel_layout_default(converted.ch_layout(), CHANNELS);
            converted.sample_rate(RATE);
            check(av_frame_get_buffer(converted, 0), "audio buffer");
        }
        int n = swr_convert(swr, converted.data(), capacity, f.data(), f.nb_samples());
        if (n > 0) av_audio_fifo_write(fifo, converted.data(), n);
    }

    private void encode(OpusSink sink) {
        while (av_audio_fifo_size(fifo) >= frameSize) {
            check(av_frame_make_writable(frame), "audio frame");
            av_audio_fifo_read(fifo, frame.data(), frameSize);
            frame.nb_samples(frameSize);
            frame.pts(samplesEncoded);
            samplesEncoded += frameSize;
            check(avcodec_send_frame(encoder, frame), "encode opus");
            while (true) {
                int r = avcodec_receive_packet(encoder, out);
                if (r == AVERROR_EAGAIN() || r == AVERROR_EOF) break;
                check(r, "receive an opus packet");
                try {
                    byte[] b = new byte[out.size()];
                    out.data().position(0).get(b);
                    // Counted, not taken from the encoder's pts (ours minus its look-ahead): packets are exactly one
                    // frame apart, so the RTP timestamps never step.
                    sink.packet(b, b.length, packetsOut++ * frameSize);
                } finally {
                    av_packet_unref(out);
                }
            }
        }
    }

    private static void check(int r, String what) {
        if (r >= 0) return;
        byte[] buf = new byte[256];
        av_strerror(r, buf, buf.length);
        int n = 0;
        while (n < buf.length && buf[n] != 0) n++;
        throw new IllegalStateException(what + ": " + new String(buf, 0, n, java.nio.charset.StandardCharsets.UTF_8));
    }

    @Override
    public void close() {
        avcodec_free_context(decoder);
        avcodec_free_context(encoder);
        av_packet_free(in);
        av_packet_free(out);
        av_frame_free(decoded);
        av_frame_free(frame);
        av_frame_free(converted);
        av_audio_fifo_free(fifo);
        if (swr != null) swr_free(swr);
    }
}
