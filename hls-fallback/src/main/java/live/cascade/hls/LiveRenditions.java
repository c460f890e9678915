package live.cascade.hls;

import live.cascade.hls.ladder.LadderEncoder;
import live.cascade.hls.ladder.LadderPlan;
import live.cascade.hls.ladder.Rendition;
import live.cascade.hls.ladder.Rung;
import live.cascade.hls.ladder.SourceVideo;
import live.cascade.hls.media.AudioTranscoder;
import live.cascade.hls.media.MediaPacket;
import live.cascade.hls.media.StreamFormat;
import live.cascade.hls.media.Thumbnailer;
import live.cascade.hls.rtp.EncodedFrame;
import live.cascade.hls.rtp.H264Depacketizer;
import live.cascade.hls.segment.CmafSegmenter;
import live.cascade.hls.segment.RenditionOutput;
import live.cascade.hls.segment.SegmentCadence;
import live.cascade.sfu.params.TrackParameters;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongFunction;

import static org.bytedeco.ffmpeg.global.avcodec.AV_CODEC_ID_AV1;
import static org.bytedeco.ffmpeg.global.avcodec.AV_CODEC_ID_HEVC;

/**
 * The live HLS ladder of one broadcast, fed frames on the broadcast's timeline: the H.264 source passed through (or
 * encoded with the rungs, {@code --hls-source encode}), the encoded rungs (decoded once, scaled and encoded per rung), Opus transcoded to AAC once and muxed into every
 * rendition, each rendition cut into CMAF segments at boundaries decided for all of them at once (or one audio-only
 * rendition). Set up at the first keyframe, when the source's picture size is known.
 */
final class LiveRenditions implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(TapPipeline.class);
    private static final long MAX_INTERLEAVE_WAIT_MICROS = 600_000;

    private final String slug;
    private final HlsSettings settings;
    private final Path liveDir;
    private final LiveOutput live;
    private final TapMetrics metrics;
    private final FailureLog failures;
    private final LongFunction<Instant> wallClock;
    private final Runnable askKeyframe;
    private final MasterPlaylistPublisher master;
    private final AudioTranscoder aac;
    /** The publisher's own AAC (RTMP/SRT), taken as it is in place of the transcoded Opus; null to transcode. */
    private StreamFormat originalAudio;

    private List<Rendition> renditions = List.of();
    private SegmentCadence cadence;
    private LadderEncoder ladder;
    private CmafSegmenter passthrough;
    private final Map<String, CmafSegmenter> segmenters = new LinkedHashMap<>();
    private final Map<String, RenditionOutput> outputs = new LinkedHashMap<>();
    private CmafSegmenter audioOnly;
    private int sourceWidth;
    private int sourceHeight;
    private boolean h264;
    /** {@code --hls-simulcast copy} with an H.264 simulcast publisher: the renditions are its layers; null otherwise. */
    private LayerRenditions layers;
    /** What {@link #setUp} was given while the layers decide, for the ladder if they give up. */
    private Runnable ladderSetUp;

    /**
     * @param audioChannels the Opus track's channels, or 0 without audio
     * @param wallClock     when a moment of the timeline happened, for the playlists' program date-times
     * @param askKeyframe   asks the publisher for a keyframe (throttling is the caller's)
     */
    LiveRenditions(String slug, HlsSettings settings, Path liveDir, LiveOutput live, TapMetrics metrics, FailureLog failures,
                   int audioChannels, LongFunction<Instant> wallClock, Runnable askKeyframe) {
        this.slug = slug;
        this.settings = settings;
        this.liveDir = liveDir;
        this.live = live;
        this.metrics = metrics;
        this.failures = failures;
        this.wallClock = wallClock;
        this.askKeyframe = askKeyframe;
        this.master = new MasterPlaylistPublisher(slug, live);
        AudioTranscoder transcoder = null;
        if (audioChannels > 0 && settings.liveEnabled()) {
            try {
                transcoder = new AudioTranscoder(audioChannels, settings.audioBitRate());
            } catch (RuntimeException e) {
                failures.failed("AAC encoder setup", e);
            }
        }
        this.aac = transcoder;
    }

    // ------------------------------------------------------------------ video

    /**
     * Before the first frame: with {@code --hls-simulcast copy}, an H.264 simulcast publication gets one copied rendition
     * per layer instead of the ladder (logged once either way when the setting is on).
     *
     * @param askAllLayers asks for a keyframe on every layer at once
     * @return whether the tap should hand this class every layer's packets
     */
    boolean copyLayers(List<TrackParameters> tracks, Runnable askAllLayers) {
        if (!settings.simulcastCopy() || !settings.liveEnabled()) return false;
        List<TrackParameters> found = LayerRenditions.layersOf(tracks);
        if (found.isEmpty()) {
            if (LayerRenditions.otherCodecLayers(tracks)) {
                LOG.info("channel {}: --hls-simulcast copy needs H.264 layers and this publisher sends another codec; the HLS ladder is encoded from its top layer", slug);
            } else {
                LOG.info("channel {}: --hls-simulcast copy: the publisher sends no simulcast; the HLS ladder as configured", slug);
            }
            return false;
        }
        Runnable ask = () -> {
            metrics.keyframeRequests.increment();
            askAllLayers.run();
        };
        layers = new LayerRenditions(slug, found, settings.segmentTarget().toNanos() / 1000, ask, copyTarget());
        return true;
    }

    private LayerRenditions.Target copyTarget() {
        return new LayerRenditions.Target() {
            @Override
            public void open(List<Rendition> copies, List<StreamFormat> formats) {
                renditions = copies;
                for (int i = 0; i < copies.size(); i++) openRendition(copies.get(i), formats.get(i), audioFormat());
            }

            @Override
            public void video(String rendition, MediaPacket p, boolean boundary) {
                CmafSegmenter s = segmenters.get(rendition);
                if (s != null) failures.guard("segmenter " + rendition, () -> s.video(p, boundary), s);
            }

            @Override
            public void discontinuity(String rendition, StreamFormat format) {
                CmafSegmenter s = segmenters.get(rendition);
                if (s != null) failures.guard("segmenter " + rendition, () -> s.discontinuity(format, null), s);
            }

            @Override
            public void fallBack() {
                layers = null;
                if (ladderSetUp != null) ladderSetUp.run();
                askKeyframe.run();
            }
        };
    }

    /** The copied layers' input (the tap hands them every layer's packets and reports), or null. */
    LayerRenditions layers() { return layers; }

    void poll(long nowNanos) {
        if (layers != null) layers.poll(nowNanos);
    }

    /** At the broadcast's first decodable keyframe: plan the ladder for the source's size and open every rendition. */
    void setUp(StreamFormat sourceFormat, int videoCodecId, boolean h264, int width, int height) {
        if (layers != null) {
            // The layers open their renditions at their first common keyframe; the ladder only if they give up.
            sourceWidth = width;
            sourceHeight = height;
            this.h264 = h264;
            ladderSetUp = () -> setUp(sourceFormat, videoCodecId, h264, width, height);
            return;
        }
        sourceWidth = width;
        sourceHeight = height;
        this.h264 = h264;
        // HEVC and AV1 (RTMP/SRT) are passed through as they came, alone: encoded rungs would mean decoding them, a
        // transcode the node does not take on; players that cannot decode them have WebRTC's answer (docs/streaming.md).
        // AUTO is resolved per publisher when the tap opens (MediaTaps); left unresolved it copies, as it always did.
        renditions = videoCodecId == AV_CODEC_ID_HEVC || videoCodecId == AV_CODEC_ID_AV1
                ? List.of(new Rendition(Rung.SOURCE.name(), true, width, height, 0))
                : LadderPlan.plan(settings.ladder(), h264 && settings.sourceVideo() != SourceVideo.ENCODE, width, height);
        cadence = new SegmentCadence(settings.segmentTarget().toNanos() / 1000, renditions.stream().anyMatch(Rendition::passthrough));
        StreamFormat audio = audioFormat();
        List<Rendition> encoded = renditions.stream().filter(r -> !r.passthrough()).toList();
        if (!encoded.isEmpty()) {
            try {
                ladder = new LadderEncoder(videoCodecId, encoded, settings.encoder(), settings.preset(), settings.maxFrameRate(),
                        10, this::onLadderPacket);
            } catch (RuntimeException e) {
                failures.failed("ladder encoder setup", e);
            }
        }
        for (Rendition r : renditions) {
            StreamFormat video;
            if (r.passthrough()) video = sourceFormat;
            else if (ladder != null) video = ladder.format(r);
            else continue;
            CmafSegmenter s = openRendition(r, video, audio);
            if (r.passthrough()) passthrough = s;
        }
    }

    private CmafSegmenter openRendition(Rendition r, StreamFormat video, StreamFormat audio) {
        RenditionOutput out = new RenditionOutput(liveDir.resolve(r.name()), r.name(), settings.window(),
                settings.targetDurationSeconds(), wallClock);
        CmafSegmenter s = new CmafSegmenter(r.name(), video, audio, MAX_INTERLEAVE_WAIT_MICROS, lowLatency(counting(out), r.name()));
        enableParts(s);
        outputs.put(r.name(), out);
        segmenters.put(r.name(), s);
        return s;
    }

    /** A keyframe after a reconnect: the source (perhaps at a new size) continues in the renditions set up before. */
    void sourceChanged(StreamFormat sourceFormat, int width, int height) {
        sourceWidth = width;
        sourceHeight = height;
        if (passthrough != null) failures.guard("segmenter source", () -> passthrough.replaceVideoFormat(sourceFormat), passthrough);
    }

    /** One video frame on the timeline, with how long the previous one lasted (90 kHz ticks). */
    void onVideo(EncodedFrame f, long pts, long durationTicks, Thumbnails thumbnails) {
        if (layers != null) {
            layers.onReference(f.rtpTimestamp(), pts); // the copied layers are placed by this stream's frames
            return;
        }
        if (!settings.liveEnabled() || cadence == null) return;
        if (f.keyframe() && passthrough != null && h264) followParameterSets(f.data(), thumbnails);
        SegmentCadence.Decision d = cadence.onVideoFrame(pts, f.keyframe());
        if (d.requestKeyframe()) askKeyframe.run();
        if (passthrough != null) {
            // pts is the decode time; frames in decode order with B-frames (direct HEVC) say how much later they show.
            long ticks = MediaPacket.ticks(pts, 90_000);
            MediaPacket p = new MediaPacket(f.data(), ticks + f.composition(), ticks, durationTicks, 90_000, f.keyframe());
            failures.guard("segmenter source", () -> passthrough.video(p, d.passthroughBoundary()), passthrough);
        }
        if (ladder != null) failures.guard("ladder encoding", () -> ladder.onSourceFrame(f.data(), pts, d.encodedBoundary(), f.keyframe()));
    }

    /**
     * A publisher may change its H.264 parameter sets mid-stream: Chromium lowers (and raises) its resolution with CPU
     * and bandwidth. The pass-through rendition's initialization segment holds the old ones, and players (MSE with
     * {@code avc1}) stall on pictures that do not match it; so at a keyframe with new parameter sets the source
     * rendition gets a new initialization segment after a discontinuity, and every rendition starts a segment there
     * (the encoded ones scale whatever they decode and are not affected otherwise).
     */
    private void followParameterSets(byte[] keyframe, Thumbnails thumbnails) {
        byte[] extra = H264Depacketizer.parameterSets(keyframe);
        if (extra == null || Arrays.equals(extra, passthrough.videoFormat().extradata())) return;
        StreamFormat next = passthrough.videoFormat().withExtradata(extra).withCodecs(StreamFormat.avcCodecString(extra));
        // The new picture size, for the initialization segment's track header (decoding the keyframe also refreshes
        // the thumbnail, which shows the change).
        Thumbnailer.Still still = thumbnails.decode(keyframe);
        if (still != null) {
            next = next.withSize(still.sourceWidth(), still.sourceHeight());
            thumbnails.write(still.jpeg());
        }
        LOG.info("channel {}: the publisher changed its H.264 parameter sets; the source rendition continues after a discontinuity", slug);
        StreamFormat format = next;
        failures.guard("segmenter source", () -> passthrough.discontinuity(format, null), passthrough);
        cadence.restart();
    }

    private void onLadderPacket(Rendition r, MediaPacket p, boolean boundary) {
        CmafSegmenter s = segmenters.get(r.name());
        if (s != null) failures.guard("segmenter " + r.name(), () -> s.video(p, boundary), s);
    }

    // ------------------------------------------------------------------ audio

    /** Before {@link #setUp}: the renditions' audio is the publisher's AAC in this format (null: the Opus, transcoded). */
    void useOriginalAudio(StreamFormat format) {
        if (segmenters.isEmpty()) originalAudio = format;
    }

    private StreamFormat audioFormat() {
        if (originalAudio != null) return originalAudio;
        return aac == null ? null : aac.format();
    }

    /** One frame of the publisher's AAC on the timeline (see {@link #useOriginalAudio}): muxed as it is. */
    void onOriginalAudio(byte[] frame, long pts, boolean withoutVideo) {
        if (originalAudio == null || !settings.liveEnabled()) return;
        if (withoutVideo && audioOnly == null) setUpAudioOnly();
        if (!withoutVideo && segmenters.isEmpty()) return;
        int rate = originalAudio.clockRate();
        onAac(new MediaPacket(frame, MediaPacket.ticks(pts, rate), MediaPacket.ticks(pts, rate), originalAudio.frameSize(), rate, true));
    }

    /** One Opus frame on the timeline; {@code withoutVideo} when the broadcast has no video track. */
    void onAudio(EncodedFrame f, long pts, boolean withoutVideo) {
        if (aac == null || originalAudio != null || !settings.liveEnabled()) return;
        if (withoutVideo && audioOnly == null) setUpAudioOnly();
        if (!withoutVideo && segmenters.isEmpty()) return; // video renditions not set up yet: nothing to mux into
        failures.guard("audio transcoding", () -> aac.transcode(f.data(), pts, this::onAac));
    }

    private void onAac(MediaPacket p) {
        if (audioOnly != null) {
            boolean boundary = cadence.onAudioOnly(p.ptsMicros());
            failures.guard("segmenter audio", () -> audioOnly.audio(p, boundary), audioOnly);
            return;
        }
        for (CmafSegmenter s : segmenters.values()) failures.guard("segmenter " + s.name(), () -> s.audio(p, false), s);
    }

    private void setUpAudioOnly() {
        cadence = new SegmentCadence(settings.segmentTarget().toNanos() / 1000, false);
        RenditionOutput out = new RenditionOutput(liveDir.resolve("audio"), "audio", settings.window(),
                settings.targetDurationSeconds(), wallClock);
        renditions = List.of(new Rendition("audio", false, 0, 0, 0));
        audioOnly = new CmafSegmenter("audio", null, audioFormat(), MAX_INTERLEAVE_WAIT_MICROS, lowLatency(counting(out), "audio"));
        enableParts(audioOnly);
        outputs.put("audio", out);
        segmenters.put("audio", audioOnly);
    }

    // ------------------------------------------------------------------ outputs

    private CmafSegmenter.Output counting(RenditionOutput out) {
        return new CmafSegmenter.Output() {
            @Override
            public void onInit(byte[] init) { out.onInit(init); }

            @Override
            public void onSegment(byte[] data, long start, long duration, int frames, boolean disc) {
                out.onSegment(data, start, duration, frames, disc);
                metrics.segments.increment();
                master.update(renditions, outputs, segmenters, audioFormat() == null ? 0 : settings.audioBitRate(), sourceWidth, sourceHeight);
            }
        };
    }

    private CmafSegmenter.Output lowLatency(CmafSegmenter.Output plain, String rendition) {
        return PartedOutput.of(plain, live, rendition, settings.targetDurationSeconds(), wallClock);
    }

    private void enableParts(CmafSegmenter s) {
        live.lowLatency().ifPresent(ll -> s.enableParts(ll.settings().partTargetMicros()));
    }

    // ------------------------------------------------------------------ lifecycle

    /** The publisher reconnected: every rendition continues after a discontinuity. */
    void restart() {
        if (layers != null) layers.restart();
        if (cadence != null) cadence.restart();
        if (aac != null) aac.restart();
        if (ladder != null) failures.guard("ladder restart", () -> ladder.restart());
        for (CmafSegmenter s : allSegmenters()) failures.guard("segmenter " + s.name(), () -> s.discontinuity(null, null));
    }

    /**
     * How far behind the tap is: behind, the encoded rungs run at half the frame rate; far behind, they pause (the
     * source rendition and the recording continue) and resume at a keyframe.
     */
    void backlog(boolean shed, boolean pause) {
        if (ladder == null) return;
        if (ladder.shedding() != shed) {
            ladder.shed(shed);
            if (shed) LOG.warn("channel {}: the tap is behind; encoded renditions run at half the frame rate until it catches up", slug);
            else LOG.info("channel {}: the tap caught up; encoded renditions back at full frame rate", slug);
        }
        if (ladder.paused() != pause) {
            ladder.pause(pause);
            if (pause) {
                LOG.warn("channel {}: the tap is far behind; encoded renditions pause (the source rendition and the recording continue)", slug);
            } else {
                askKeyframe.run(); // the ladder resumes at a keyframe: don't wait for the publisher's next GOP
            }
        }
    }

    /** End of the broadcast: drain the ladder, cut the last segments, end the playlists. */
    void finish() {
        if (layers != null) layers.finish();
        if (ladder != null) failures.guard("ladder drain", () -> ladder.finish());
        for (CmafSegmenter s : allSegmenters()) failures.guard("segmenter " + s.name(), s::finish);
        for (RenditionOutput o : outputs.values()) {
            try {
                o.end();
            } catch (RuntimeException e) {
                failures.failed("playlist end", e);
            }
        }
        live.lowLatency().ifPresent(ll -> outputs.keySet().forEach(n -> ll.rendition(n).ifPresent(r -> r.end())));
    }

    @Override
    public void close() {
        for (CmafSegmenter s : allSegmenters()) s.close();
        if (ladder != null) ladder.close();
        if (aac != null) aac.close();
    }

    List<Rendition> renditions() { return renditions; }

    private List<CmafSegmenter> allSegmenters() { return new ArrayList<>(segmenters.values()); }
}
