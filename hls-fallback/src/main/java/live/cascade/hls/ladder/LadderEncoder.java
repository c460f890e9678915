package live.cascade.hls.ladder;

import live.cascade.hls.media.FfmpegException;
import live.cascade.hls.media.MediaPacket;
import live.cascade.hls.media.StreamFormat;
import live.cascade.hls.media.VideoDecoder;
import live.cascade.hls.media.VideoEncoder;
import live.cascade.hls.media.VideoEncoderSettings;
import live.cascade.hls.media.VideoScaler;
import org.bytedeco.ffmpeg.avutil.AVFrame;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;

import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_YUV420P;

/**
 * The encoded rungs of the ladder: the source video is decoded once, and each decoded picture is scaled and encoded
 * for every rung. A boundary (a segment start, decided for all renditions at once) forces an IDR picture in every
 * rung at the same source frame, so segments line up across renditions. Frames come faster than {@code maxFrameRate}
 * are dropped (a 60 fps source gives 30 fps rungs).
 */
public final class LadderEncoder implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(LadderEncoder.class);

    /** Receives each rung's packets; {@code boundary} is true for the keyframe that starts a segment. */
    public interface Output {
        void onPacket(Rendition rendition, MediaPacket packet, boolean boundary);
    }

    private record Lane(Rendition rendition, VideoScaler scaler, VideoEncoder encoder) {
    }

    private final VideoDecoder decoder;
    private final List<Lane> lanes = new ArrayList<>();
    private final Output output;
    private final long minFrameIntervalMicros;
    private boolean boundaryPending;
    private boolean shedding;
    private long shedToggle;
    private boolean paused;
    private boolean resumeAtKeyframe;
    private long lastEncodedMicros = Long.MIN_VALUE;
    private long lastFrameDurationTicks = VideoEncoder.CLOCK / 30;
    private long decodedFrames;
    private long skippedFrames;

    /**
     * @param renditions the encoded renditions (not the pass-through one)
     * @param encoder    {@code libx264} or {@code h264_nvenc}; NVENC that fails to open falls back to libx264
     */
    public LadderEncoder(int sourceCodecId, List<Rendition> renditions, String encoder, String preset, int maxFrameRate,
                         int gopSeconds, Output output) {
        this.output = output;
        this.minFrameIntervalMicros = 1_000_000L / maxFrameRate * 3 / 4;
        this.decoder = new VideoDecoder(sourceCodecId, 1);
        try {
            for (Rendition r : renditions) {
                VideoEncoderSettings s = new VideoEncoderSettings(encoder, r.width(), r.height(), r.videoBitRate(), maxFrameRate,
                        maxFrameRate * gopSeconds, r.height() >= 720 ? 2 : 1, preset);
                lanes.add(new Lane(r, new VideoScaler(r.width(), r.height(), AV_PIX_FMT_YUV420P), open(s)));
            }
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    private static VideoEncoder open(VideoEncoderSettings s) {
        try {
            return new VideoEncoder(s);
        } catch (FfmpegException e) {
            if (s.encoder().equals("libx264")) throw e;
            LOG.warn("{} is not usable here ({}); encoding with libx264 instead", s.encoder(), e.getMessage());
            return new VideoEncoder(new VideoEncoderSettings("libx264", s.width(), s.height(), s.bitRate(), s.frameRate(),
                    s.gopFrames(), s.threads(), s.preset()));
        }
    }

    /** The muxer format of one rendition's video. */
    public StreamFormat format(Rendition r) {
        for (Lane l : lanes) if (l.rendition.equals(r)) return l.encoder.format();
        throw new IllegalArgumentException("not an encoded rendition: " + r);
    }

    public List<Rendition> renditions() { return lanes.stream().map(Lane::rendition).toList(); }

    /**
     * Decodes one source frame and encodes it for every rung; {@code boundary} starts a segment at it.
     * {@code keyframe}: the source frame is a keyframe (where a paused ladder can resume).
     */
    public void onSourceFrame(byte[] data, long ptsMicros, boolean boundary, boolean keyframe) {
        if (paused) return;
        if (resumeAtKeyframe) {
            if (!keyframe) return;
            resumeAtKeyframe = false;
            boundary = true; // the encoded renditions restart with a keyframe here
        }
        boundaryPending |= boundary;
        decoder.decode(data, ptsMicros, this::onDecoded);
    }

    /**
     * Stops decoding altogether while the tap is far behind (the pass-through rendition and the recording, which cost
     * next to nothing, keep going); once resumed, the ladder restarts at the source's next keyframe.
     */
    public void pause(boolean on) {
        if (on == paused) return;
        paused = on;
        if (on) {
            decoder.drain((f, pts) -> {});
        } else {
            resumeAtKeyframe = true;
        }
    }

    public boolean paused() { return paused; }

    private void onDecoded(AVFrame frame, long ptsMicros) {
        decodedFrames++;
        boolean key = boundaryPending || lastEncodedMicros == Long.MIN_VALUE;
        if (!key && (ptsMicros - lastEncodedMicros < minFrameIntervalMicros || (shedding && (shedToggle++ & 1) == 0))) {
            skippedFrames++;
            return;
        }
        if (lastEncodedMicros != Long.MIN_VALUE && ptsMicros > lastEncodedMicros) {
            lastFrameDurationTicks = Math.min(VideoEncoder.CLOCK, (ptsMicros - lastEncodedMicros) * VideoEncoder.CLOCK / 1_000_000L);
        }
        if (ptsMicros <= lastEncodedMicros) return; // never send an encoder a timestamp twice
        boundaryPending = false;
        lastEncodedMicros = ptsMicros;
        long pts = MediaPacket.ticks(ptsMicros, VideoEncoder.CLOCK);
        for (Lane lane : lanes) {
            AVFrame scaled = lane.scaler.scale(frame);
            lane.encoder.encode(scaled, pts, lastFrameDurationTicks, key,
                    p -> output.onPacket(lane.rendition, p, p.keyframe()));
        }
    }

    /** End of stream: decodes and encodes what is still buffered. */
    public void finish() {
        decoder.drain(this::onDecoded);
        for (Lane lane : lanes) lane.encoder.drain(p -> output.onPacket(lane.rendition, p, p.keyframe()));
    }

    /** A new source stream follows (reconnect): drop the decoder's state; the next frame starts a segment. */
    public void restart() {
        decoder.drain((f, pts) -> {});
        boundaryPending = true;
    }

    /**
     * While the tap is behind, encode every other frame (keyframes always): encoding the rungs is most of the tap's
     * work, and a rendition at half the frame rate for a moment beats packets dropped at random from every stream.
     */
    public void shed(boolean on) { this.shedding = on; }

    public boolean shedding() { return shedding; }

    public long decodedFrames() { return decodedFrames; }

    public long skippedFrames() { return skippedFrames; }

    public long decodeErrors() { return decoder.errors(); }

    @Override
    public void close() {
        for (Lane l : lanes) {
            l.encoder.close();
            l.scaler.close();
        }
        decoder.close();
    }
}
