package live.cascade.hls;

import live.cascade.hls.ladder.Rendition;
import live.cascade.hls.media.StreamFormat;
import live.cascade.hls.record.RecordingKeyframes;
import live.cascade.hls.media.Thumbnailer;
import live.cascade.hls.rtp.EncodedFrame;
import live.cascade.hls.sync.AvSync;
import live.cascade.hls.sync.TimedFrame;
import live.cascade.hls.sync.TimestampSanitiser;
import live.cascade.sfu.params.MediaKind;
import live.cascade.sfu.params.TrackParameters;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * Everything a tap does with one broadcast's media, on the tap's thread, as a chain of stages:
 * <ol>
 *   <li>{@link TapInput}: RTP to frames per track (reorder, depacketize);</li>
 *   <li>{@link AvSync} and {@link TimestampSanitiser}: frames onto one audio/video timeline that never goes back;</li>
 *   <li>{@link OriginalAudio}: for an RTMP/SRT publish, its AAC as the encoder sent it, placed on the timeline by the
 *   Opus made from it, in place of that Opus for the recording and HLS;</li>
 *   <li>{@link RecordingStage}: the frames as they are, into the recording (with {@link RecordingKeyframes} asking for
 *   a keyframe when the publisher has sent none for a while);</li>
 *   <li>{@link Thumbnails}: a still now and then (and the source's picture size at the first keyframe);</li>
 *   <li>{@link LiveRenditions}: the live HLS ladder, with {@link MasterPlaylistPublisher} for its master playlist.</li>
 * </ol>
 * This class wires them and owns what spans them: waiting for the first keyframe, reconnects, keyframe requests,
 * the timeline's wall clock, and the end of the broadcast.
 *
 * <p>Nothing here stops the others: every stage's failure is logged once and the stage carries on (or resets) with
 * the next frame. Renditions are set up at the first keyframe, when the source's picture size is known.
 */
final class TapPipeline {
    private static final Logger LOG = LoggerFactory.getLogger(TapPipeline.class);
    /** Browsers and FFmpeg send their first sender reports within a second; OBS's second (first usable) one too. */
    private static final long SYNC_WAIT_NANOS = 1_500_000_000L;
    private static final long LOSS_KEYFRAME_INTERVAL_NANOS = 1_000_000_000L;

    private final String slug;
    private final HlsSettings settings;
    private final LiveOutput live;
    private final Runnable requestKeyframe;
    private final TapMetrics metrics;
    private final FailureLog failures;
    private final Clock clock;
    private final long epochOffsetNanos;

    private final TapInput input;
    private final RecordingStage recording;
    private final RecordingKeyframes recordingKeyframes = new RecordingKeyframes();
    private final TimestampSanitiser sanitiser;
    private final AvSync sync;
    private final LiveRenditions hls;
    private final Thumbnails thumbnails;
    private final OriginalAudio original;
    private final OriginalAudio.Sink originalSink = this::onOriginalTimed;

    /**
     * Where the recording goes, given where it would go. Tests point it at {@code /dev/full} to see a real full disk
     * (ENOSPC) handled; in production it is the identity.
     */
    UnaryOperator<Path> recordingTarget = UnaryOperator.identity();

    /** Where the broadcast is also sent (restreaming, issue 23), or null; set before the first frame. */
    live.cascade.hls.restream.RestreamStage restream;

    private boolean videoStarted;
    private boolean awaitingKeyframe = true;
    private int sourceWidth;
    private int sourceHeight;
    private long lastLossKeyframeRequest = Long.MIN_VALUE;
    private long lastVideoDurationTicks = 3000;
    private long lastVideoPts = Long.MIN_VALUE;

    TapPipeline(long channelId, String slug, List<TrackParameters> tracks, HlsSettings settings, Path liveDir, LiveOutput live,
                Runnable requestKeyframe, TapMetrics metrics, RecordingHealth health, Clock clock) {
        this(channelId, slug, tracks, settings, liveDir, live, requestKeyframe, requestKeyframe, metrics, health, clock);
    }

    /** @param requestLayerKeyframes asks for a keyframe on every simulcast layer at once ({@code --hls-simulcast copy}) */
    TapPipeline(long channelId, String slug, List<TrackParameters> tracks, HlsSettings settings, Path liveDir, LiveOutput live,
                Runnable requestKeyframe, Runnable requestLayerKeyframes, TapMetrics metrics, RecordingHealth health, Clock clock) {
        this.slug = slug;
        this.settings = settings;
        this.live = live;
        this.requestKeyframe = requestKeyframe;
        this.metrics = metrics;
        this.failures = new FailureLog(slug, metrics);
        this.clock = clock;
        this.epochOffsetNanos = clock.millis() * 1_000_000L - System.nanoTime();
        this.input = new TapInput(slug, tracks, this::onFrame, this::onVideoLoss);
        int audioChannels = input.hasAudio() ? input.audioChannels() : 0;
        this.recording = new RecordingStage(channelId, slug, settings, metrics, health, failures, clock, clock.instant(),
                audioChannels, () -> recordingTarget);
        // Every muxer is fed from here on, through the sanitiser: no stage sees a timestamp that goes back.
        this.sanitiser = new TimestampSanitiser(slug, metrics.timestampCorrections(), this::onTimed);
        this.sync = new AvSync(input.clockRates(), SYNC_WAIT_NANOS, settings.jumpThreshold().toNanos() / 1000, sanitiser, sanitiser);
        this.hls = new LiveRenditions(slug, settings, liveDir, live, metrics, failures, audioChannels, this::wallClock, this::askKeyframe);
        hls.copyLayers(tracks, () -> {
            try {
                requestLayerKeyframes.run();
            } catch (RuntimeException e) {
                // The worker is stopping: the broadcast ends anyway.
            }
        });
        this.thumbnails = new Thumbnails(input.videoCodecId(), settings, liveDir, live, failures);
        this.original = new OriginalAudio(slug);
    }

    // ------------------------------------------------------------------ input

    void onRtp(MediaKind kind, byte[] buf, int off, int len, long arrivalNanos) {
        input.onRtp(kind, buf, off, len, arrivalNanos);
    }

    void onSenderReport(MediaKind kind, long ntp, long rtpTimestamp, long nowNanos) {
        input.onSenderReport(kind, ntp, rtpTimestamp, nowNanos, sync);
        LayerRenditions layers = hls.layers();
        if (layers != null && kind == MediaKind.VIDEO) layers.onReferenceReport(ntp, rtpTimestamp);
    }

    /** A packet of simulcast layer {@code layer} as received ({@code --hls-simulcast copy}). */
    void onLayerRtp(int layer, byte[] buf, int len, long arrivalNanos) {
        LayerRenditions layers = hls.layers();
        if (layers != null) layers.onRtp(layer, buf, len, arrivalNanos);
    }

    /** A sender report of simulcast layer {@code layer}. */
    void onLayerSenderReport(int layer, long ntp, long rtpTimestamp) {
        LayerRenditions layers = hls.layers();
        if (layers != null) layers.onLayerReport(layer, ntp, rtpTimestamp);
    }

    /** A publisher was attached; if media already flowed, this is a reconnect: continue with a discontinuity. */
    void onPublisherAttached() {
        input.restart();
        original.restart();
        if (sync.lastEmittedMicros() < 0) return;
        LOG.info("channel {}: publisher reconnected; HLS continues after a discontinuity, the recording in the same file", slug);
        sync.restart(lastVideoDurationTicks * 1_000_000L / 90_000);
        awaitingKeyframe = true;
        recordingKeyframes.restart();
        hls.restart();
        lastVideoPts = Long.MIN_VALUE;
    }

    /** The ingest's AAC config (RTMP/SRT): HLS and the recording may take its AAC as sent (see {@link OriginalAudio}). */
    void onOriginalAudioConfig(byte[] data, int len) {
        original.config(data, len);
    }

    /** One AAC frame from the ingest, at {@code rtpTimestamp} on the audio track's RTP clock. */
    void onOriginalAudio(byte[] data, int len, long rtpTimestamp) {
        original.frame(data, len, rtpTimestamp);
    }

    /** The parameter sets of the video the ingest hands the tap directly (RTMP/SRT HEVC). */
    void onDirectVideoConfig(byte[] data, int len) {
        input.onDirectVideoConfig(data, len);
    }

    /** One access unit of that video, at decode time {@code timestamp} (90 kHz) plus {@code composition} to its presentation. */
    void onDirectVideo(byte[] data, int len, long timestamp, int composition, boolean keyframe, long arrivalNanos) {
        input.onDirectVideo(data, len, timestamp, composition, keyframe, arrivalNanos);
    }

    void poll(long nowNanos) {
        input.poll(nowNanos);
        sync.poll(nowNanos);
        hls.poll(nowNanos);
    }

    private void onVideoLoss() {
        long now = System.nanoTime();
        if (lastLossKeyframeRequest == Long.MIN_VALUE || now - lastLossKeyframeRequest > LOSS_KEYFRAME_INTERVAL_NANOS) {
            lastLossKeyframeRequest = now;
            askKeyframe();
        }
    }

    private void askKeyframe() {
        metrics.keyframeRequests.increment();
        try {
            requestKeyframe.run();
        } catch (RuntimeException e) {
            // The worker is stopping: the broadcast ends anyway.
        }
    }

    private void onFrame(EncodedFrame f) {
        sync.onFrame(f);
    }

    // ------------------------------------------------------------------ timeline

    private void onTimed(TimedFrame t) {
        EncodedFrame f = t.frame();
        if (f.kind() == MediaKind.VIDEO) onVideo(f, t.ptsMicros());
        else onAudio(f, t.ptsMicros());
    }

    private void onVideo(EncodedFrame f, long pts) {
        if (awaitingKeyframe) {
            if (!f.keyframe()) {
                onVideoLoss(); // ask (throttled) rather than wait for the publisher's next GOP
                return;
            }
            if (!startVideo(f, pts)) return;
            awaitingKeyframe = false;
        }
        if (lastVideoPts != Long.MIN_VALUE) lastVideoDurationTicks = Math.min(90_000, (pts - lastVideoPts) * 90 / 1000);
        lastVideoPts = pts;
        recording.video(f.data(), pts, f.keyframe(), f.composition());
        if (settings.recordingEnabled() && recordingKeyframes.onVideoFrame(pts, f.keyframe())) askKeyframe();
        if (restream != null) restream.video(f.data(), pts, f.keyframe(), f.composition());
        if (f.keyframe()) thumbnails.onKeyframe(f.data(), pts);
        hls.onVideo(f, pts, lastVideoDurationTicks, thumbnails);
    }

    /** At the first keyframe (of the broadcast, or after a reconnect): learn the picture size, set up renditions. */
    private boolean startVideo(EncodedFrame f, long pts) {
        Thumbnailer.Still still = thumbnails.decode(f.data());
        if (still == null) {
            onVideoLoss();
            return false; // undecodable: wait for the next keyframe
        }
        thumbnails.taken(still, pts);
        boolean sizeChanged = videoStarted && (still.sourceWidth() != sourceWidth || still.sourceHeight() != sourceHeight);
        sourceWidth = still.sourceWidth();
        sourceHeight = still.sourceHeight();
        StreamFormat sourceFormat = input.sourceFormat(sourceWidth, sourceHeight);
        if (!videoStarted) {
            videoStarted = true;
            // The publisher's own AAC (RTMP/SRT), when there is one, in place of the Opus (MP4 only: WebM takes no AAC).
            // Restreaming takes it too (FLV carries AAC), so it is decided by the container alone.
            StreamFormat originalAudio = original.decide(input.mp4());
            if (settings.recordingEnabled()) recording.open(sourceFormat, originalAudio);
            hls.useOriginalAudio(originalAudio);
            if (settings.liveEnabled()) hls.setUp(sourceFormat, input.videoCodecId(), input.h264(), sourceWidth, sourceHeight);
            if (restream != null) restream.open(sourceFormat, input.h264() || input.direct(), input.hasAudio() ? input.audioChannels() : 0, originalAudio);
            LOG.info("channel {}: {} {}x{} in; HLS renditions {}; recording {}", slug, input.videoCodecName(), sourceWidth, sourceHeight,
                    hls.layers() != null ? "from the simulcast layers, copied, once a picture is keyed in every layer"
                            : hls.renditions().stream().map(r -> r.name() + (r.passthrough() ? " (as sent)" : " " + r.width() + "x" + r.height())).toList(),
                    recording.file());
        } else {
            if (sizeChanged) LOG.info("channel {}: the source is now {}x{}; renditions keep their sizes", slug, sourceWidth, sourceHeight);
            hls.sourceChanged(sourceFormat, sourceWidth, sourceHeight);
        }
        return true;
    }

    private void onAudio(EncodedFrame f, long pts) {
        boolean withoutVideo = input.videoCodecId() < 0;
        if (withoutVideo) {
            StreamFormat originalAudio = original.decide(settings.liveEnabled() || settings.recordingEnabled());
            hls.useOriginalAudio(originalAudio);
            if (settings.recordingEnabled() && !recording.opened()) recording.open(null, originalAudio);
        }
        if (restream != null) restream.audio(f.data(), pts);
        // The Opus's place on the timeline places the original AAC up to it (and lets go of it before the decision).
        original.opusPlaced(f.rtpTimestamp(), pts, originalSink);
        if (original.used()) return;
        recording.audio(f.data(), pts);
        hls.onAudio(f, pts, withoutVideo);
    }

    /** One frame of the publisher's AAC on the timeline: into the recording and HLS as it is. */
    private void onOriginalTimed(byte[] data, long pts) {
        recording.audio(data, pts);
        if (restream != null) restream.originalAudio(data, pts);
        hls.onOriginalAudio(data, pts, input.videoCodecId() < 0);
    }

    /** When a moment of the timeline happened: the playlists' program date-times; null before the first frame. */
    private Instant wallClock(long timelineMicros) {
        long zero = sync.zeroArrivalNanos();
        if (zero == 0 || zero == Long.MAX_VALUE) return null;
        long epochNanos = epochOffsetNanos + zero + (timelineMicros - sync.resumeAtMicros()) * 1000;
        return Instant.ofEpochSecond(0, epochNanos);
    }

    // ------------------------------------------------------------------ recording

    /** This broadcast's recording as the studio shows it; any thread. */
    RecordingState recordingState() { return recording.state(sanitiser.corrections().total()); }

    // ------------------------------------------------------------------ end

    /** End of the broadcast: flush every stage, end the playlists, close the recording. */
    FinishedRecording finish() {
        long now = System.nanoTime();
        input.flush();
        sync.flush(now);
        hls.finish();
        live.ended(clock.instant());
        if (restream != null) restream.close();
        FinishedRecording finished = recording.finish(thumbnails.latest());
        metrics.incompleteFrames.add(input.droppedFrames());
        failures.summary();
        sanitiser.summary();
        return finished;
    }

    void close() {
        if (restream != null) restream.close();
        hls.close();
        thumbnails.close();
        recording.close();
    }

    /** How far behind the tap is; the ladder sheds work accordingly (the cheap stages never do). */
    enum Backlog { NONE, BEHIND, FAR_BEHIND }

    void setBacklog(Backlog b) {
        hls.backlog(b != Backlog.NONE, b == Backlog.FAR_BEHIND);
    }

    long sourceWidth() { return sourceWidth; }

    long sourceHeight() { return sourceHeight; }

    List<Rendition> renditions() { return hls.renditions(); }

    AvSync.Alignment alignment() { return sync.alignment(); }
}
