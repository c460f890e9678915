package live.cascade.hls;

import live.cascade.hls.ladder.LadderEncoder;
import live.cascade.hls.ladder.LadderPlan;
import live.cascade.hls.ladder.Rendition;
import live.cascade.hls.ladder.Rung;
import live.cascade.hls.media.AudioTranscoder;
import live.cascade.hls.media.MediaPacket;
import live.cascade.hls.media.StreamFormat;
import live.cascade.hls.media.Thumbnailer;
import live.cascade.hls.rtp.EncodedFrame;
import live.cascade.hls.rtp.H264Depacketizer;
import live.cascade.hls.rtp.OpusDepacketizer;
import live.cascade.hls.rtp.TrackAssembler;
import live.cascade.hls.rtp.Vp8Depacketizer;
import live.cascade.hls.segment.CmafSegmenter;
import live.cascade.hls.segment.MasterPlaylist;
import live.cascade.hls.segment.RenditionOutput;
import live.cascade.hls.segment.SegmentCadence;
import live.cascade.hls.segment.Variant;
import live.cascade.hls.sync.AvSync;
import live.cascade.hls.sync.TimedFrame;
import live.cascade.hls.sync.TimestampSanitiser;
import live.cascade.sfu.params.MediaKind;
import live.cascade.sfu.params.TrackParameters;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.UnaryOperator;

import static org.bytedeco.ffmpeg.global.avcodec.AV_CODEC_ID_H264;
import static org.bytedeco.ffmpeg.global.avcodec.AV_CODEC_ID_VP8;

/**
 * Everything a tap does with one broadcast's media, on the tap's thread: RTP to frames (per track: reorder,
 * depacketize), frames onto one audio/video timeline, then the recorder (the frames as they are), the thumbnail, and
 * the ladder: the H.264 source passed through, the encoded rungs (decoded once, scaled and encoded per rung), Opus
 * transcoded to AAC once and muxed into every rendition, each rendition cut into CMAF segments at boundaries decided
 * for all of them at once.
 *
 * <p>Nothing here stops the others: every stage's failure is logged once and the stage carries on (or resets) with
 * the next frame. Renditions are set up at the first keyframe, when the source's picture size is known.
 */
final class TapPipeline {
    private static final Logger LOG = LoggerFactory.getLogger(TapPipeline.class);
    /** Browsers and FFmpeg send their first sender reports within a second; OBS's second (first usable) one too. */
    private static final long SYNC_WAIT_NANOS = 1_500_000_000L;
    private static final long REORDER_DELAY_NANOS = 80_000_000L;
    private static final long MAX_INTERLEAVE_WAIT_MICROS = 600_000;
    private static final long LOSS_KEYFRAME_INTERVAL_NANOS = 1_000_000_000L;

    private final String slug;
    private final HlsSettings settings;
    private final Path liveDir;
    private final LiveOutput live;
    private final Runnable requestKeyframe;
    private final TapMetrics metrics;
    private final FailureLog failures;
    private final Clock clock;
    private final Map<MediaKind, TrackAssembler> assemblers = new EnumMap<>(MediaKind.class);
    private final AvSync sync;
    private final TimestampSanitiser sanitiser;
    private final int videoCodecId;
    private final int audioChannels;
    private final boolean hasAudio;
    private final long epochOffsetNanos;

    private H264Depacketizer h264;
    private AudioTranscoder aac;
    private Thumbnailer thumbnailer;
    private final RecordingStage recording;
    private byte[] latestThumbnail;
    private long lastThumbnailMicros = Long.MIN_VALUE;

    /**
     * Where the recording goes, given where it would go. Tests point it at {@code /dev/full} to see a real full disk
     * (ENOSPC) handled; in production it is the identity.
     */
    UnaryOperator<Path> recordingTarget = UnaryOperator.identity();

    private boolean videoStarted;
    private boolean awaitingKeyframe = true;
    private int sourceWidth;
    private int sourceHeight;
    private List<Rendition> renditions = List.of();
    private SegmentCadence cadence;
    private LadderEncoder ladder;
    private CmafSegmenter passthrough;
    private final Map<String, CmafSegmenter> segmenters = new LinkedHashMap<>();
    private final Map<String, RenditionOutput> outputs = new LinkedHashMap<>();
    private CmafSegmenter audioOnly;
    private boolean masterWritten;
    private long advertisedPeak;
    private long lastLossKeyframeRequest = Long.MIN_VALUE;
    private long lastVideoDurationTicks = 3000;
    private long lastVideoPts = Long.MIN_VALUE;

    TapPipeline(long channelId, String slug, List<TrackParameters> tracks, HlsSettings settings, Path liveDir, LiveOutput live,
                Runnable requestKeyframe, TapMetrics metrics, RecordingHealth health, Clock clock) {
        this.slug = slug;
        this.settings = settings;
        this.liveDir = liveDir;
        this.live = live;
        this.requestKeyframe = requestKeyframe;
        this.metrics = metrics;
        this.failures = new FailureLog(slug, metrics);
        this.clock = clock;
        this.epochOffsetNanos = clock.millis() * 1_000_000L - System.nanoTime();
        Map<MediaKind, Integer> rates = new EnumMap<>(MediaKind.class);
        int video = -1;
        int channels = 2;
        boolean audio = false;
        for (TrackParameters t : tracks) {
            String codec = t.codec().name().toUpperCase(Locale.ROOT);
            TrackAssembler a = null;
            if (t.kind() == MediaKind.VIDEO && codec.equals("H264")) {
                h264 = new H264Depacketizer();
                a = new TrackAssembler(h264, t.codec().payloadType(), REORDER_DELAY_NANOS);
                video = AV_CODEC_ID_H264;
            } else if (t.kind() == MediaKind.VIDEO && codec.equals("VP8")) {
                a = new TrackAssembler(new Vp8Depacketizer(), t.codec().payloadType(), REORDER_DELAY_NANOS);
                video = AV_CODEC_ID_VP8;
            } else if (t.kind() == MediaKind.AUDIO && codec.equals("OPUS")) {
                a = new TrackAssembler(new OpusDepacketizer(), t.codec().payloadType(), REORDER_DELAY_NANOS);
                audio = true;
                channels = Math.max(1, t.codec().channels());
            } else {
                LOG.info("channel {}: {} {} is neither H.264, VP8 nor Opus; HLS and the recording leave it out", slug, t.kind(), t.codec().name());
            }
            if (a != null) {
                a.setOutput(this::onFrame);
                if (t.kind() == MediaKind.VIDEO) a.setLossListener(this::onVideoLoss);
                assemblers.put(t.kind(), a);
                rates.put(t.kind(), t.codec().clockRate());
            }
        }
        this.videoCodecId = video;
        this.hasAudio = audio;
        this.audioChannels = channels;
        this.recording = new RecordingStage(channelId, slug, settings, metrics, health, failures, clock, clock.instant(),
                audio ? channels : 0, () -> recordingTarget);
        // Every muxer is fed from here on, through the sanitiser: no stage sees a timestamp that goes back.
        this.sanitiser = new TimestampSanitiser(slug, metrics.timestampCorrections(), this::onTimed);
        this.sync = new AvSync(rates, SYNC_WAIT_NANOS, settings.jumpThreshold().toNanos() / 1000, sanitiser, sanitiser);
        if (hasAudio && settings.liveEnabled()) {
            try {
                aac = new AudioTranscoder(audioChannels, settings.audioBitRate());
            } catch (RuntimeException e) {
                failures.failed("AAC encoder setup", e);
            }
        }
        if (videoCodecId > 0) {
            try {
                thumbnailer = new Thumbnailer(videoCodecId, 640);
            } catch (RuntimeException e) {
                failures.failed("thumbnail decoder setup", e);
            }
        }
    }

    // ------------------------------------------------------------------ input

    void onRtp(MediaKind kind, byte[] buf, int off, int len, long arrivalNanos) {
        TrackAssembler a = assemblers.get(kind);
        if (a != null) a.onRtp(buf, off, len, arrivalNanos);
    }

    void onSenderReport(MediaKind kind, long ntp, long rtpTimestamp, long nowNanos) {
        TrackAssembler a = assemblers.get(kind);
        if (a == null || !a.hasTimestamps()) return;
        sync.onSenderReport(kind, ntp, a.extendTimestamp(rtpTimestamp), a.latestTimestamp(), nowNanos);
    }

    /** A publisher was attached; if media already flowed, this is a reconnect: continue with a discontinuity. */
    void onPublisherAttached() {
        for (TrackAssembler a : assemblers.values()) a.restart();
        if (sync.lastEmittedMicros() < 0) return;
        LOG.info("channel {}: publisher reconnected; HLS continues after a discontinuity, the recording in the same file", slug);
        sync.restart(lastVideoDurationTicks * 1_000_000L / 90_000);
        awaitingKeyframe = true;
        if (cadence != null) cadence.restart();
        if (aac != null) aac.restart();
        if (ladder != null) guard("ladder restart", () -> ladder.restart());
        for (CmafSegmenter s : allSegmenters()) guard("segmenter " + s.name(), () -> s.discontinuity(null, null));
        lastVideoPts = Long.MIN_VALUE;
    }

    void poll(long nowNanos) {
        for (TrackAssembler a : assemblers.values()) a.poll(nowNanos);
        sync.poll(nowNanos);
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
        recording.video(f.data(), pts, f.keyframe());
        if (f.keyframe() && (lastThumbnailMicros == Long.MIN_VALUE
                || pts - lastThumbnailMicros >= settings.thumbnailInterval().toNanos() / 1000)) {
            thumbnail(f.data(), pts);
        }
        if (!settings.liveEnabled() || cadence == null) return;
        if (f.keyframe() && passthrough != null) followParameterSets(f.data());
        SegmentCadence.Decision d = cadence.onVideoFrame(pts, f.keyframe());
        if (d.requestKeyframe()) askKeyframe();
        if (passthrough != null) {
            long ticks = MediaPacket.ticks(pts, 90_000);
            MediaPacket p = new MediaPacket(f.data(), ticks, ticks, lastVideoDurationTicks, 90_000, f.keyframe());
            guard("segmenter source", () -> passthrough.video(p, d.passthroughBoundary()), passthrough);
        }
        if (ladder != null) guard("ladder encoding", () -> ladder.onSourceFrame(f.data(), pts, d.encodedBoundary(), f.keyframe()));
    }

    /**
     * A publisher may change its H.264 parameter sets mid-stream: Chromium lowers (and raises) its resolution with CPU
     * and bandwidth. The pass-through rendition's initialization segment holds the old ones, and players (MSE with
     * {@code avc1}) stall on pictures that do not match it; so at a keyframe with new parameter sets the source
     * rendition gets a new initialization segment after a discontinuity, and every rendition starts a segment there
     * (the encoded ones scale whatever they decode and are not affected otherwise).
     */
    private void followParameterSets(byte[] keyframe) {
        byte[] extra = H264Depacketizer.parameterSets(keyframe);
        if (extra == null || Arrays.equals(extra, passthrough.videoFormat().extradata())) return;
        StreamFormat next = passthrough.videoFormat().withExtradata(extra).withCodecs(StreamFormat.avcCodecString(extra));
        if (thumbnailer != null) {
            // The new picture size, for the initialization segment's track header (decoding the keyframe also
            // refreshes the thumbnail, which shows the change).
            try {
                Thumbnailer.Still still = thumbnailer.render(keyframe).orElse(null);
                if (still != null) {
                    next = next.withSize(still.sourceWidth(), still.sourceHeight());
                    writeThumbnail(still.jpeg());
                }
            } catch (RuntimeException e) {
                failures.failed("keyframe decode", e);
            }
        }
        LOG.info("channel {}: the publisher changed its H.264 parameter sets; the source rendition continues after a discontinuity", slug);
        StreamFormat format = next;
        guard("segmenter source", () -> passthrough.discontinuity(format, null), passthrough);
        cadence.restart();
    }

    /** At the first keyframe (of the broadcast, or after a reconnect): learn the picture size, set up renditions. */
    private boolean startVideo(EncodedFrame f, long pts) {
        Thumbnailer.Still still = null;
        if (thumbnailer != null) {
            try {
                still = thumbnailer.render(f.data()).orElse(null);
            } catch (RuntimeException e) {
                failures.failed("keyframe decode", e);
            }
        }
        if (still == null) {
            onVideoLoss();
            return false; // undecodable: wait for the next keyframe
        }
        writeThumbnail(still.jpeg());
        lastThumbnailMicros = pts;
        boolean sizeChanged = videoStarted && (still.sourceWidth() != sourceWidth || still.sourceHeight() != sourceHeight);
        sourceWidth = still.sourceWidth();
        sourceHeight = still.sourceHeight();
        StreamFormat sourceFormat = sourceFormat();
        if (!videoStarted) {
            videoStarted = true;
            if (settings.recordingEnabled()) recording.open(sourceFormat);
            if (settings.liveEnabled()) setUpLadder(sourceFormat);
            LOG.info("channel {}: {} {}x{} in; HLS renditions {}; recording {}", slug, videoCodecId == AV_CODEC_ID_H264 ? "H.264" : "VP8",
                    sourceWidth, sourceHeight, renditions.stream().map(r -> r.name() + (r.passthrough() ? " (as sent)" : " " + r.width() + "x" + r.height())).toList(),
                    recording.file());
        } else {
            if (sizeChanged) LOG.info("channel {}: the source is now {}x{}; renditions keep their sizes", slug, sourceWidth, sourceHeight);
            if (passthrough != null) {
                StreamFormat f2 = sourceFormat;
                guard("segmenter source", () -> passthrough.replaceVideoFormat(f2), passthrough);
            }
        }
        return true;
    }

    private StreamFormat sourceFormat() {
        if (videoCodecId == AV_CODEC_ID_H264) {
            byte[] sps = h264.sps();
            byte[] pps = h264.pps();
            byte[] extra = sps != null && pps != null ? StreamFormat.annexB(sps, pps) : new byte[0];
            return new StreamFormat(true, AV_CODEC_ID_H264, sourceWidth, sourceHeight, 0, 0, extra, 90_000, 0, 0,
                    StreamFormat.avcCodecString(extra));
        }
        return new StreamFormat(true, AV_CODEC_ID_VP8, sourceWidth, sourceHeight, 0, 0, null, 90_000, 0, 0, "vp8");
    }

    private void setUpLadder(StreamFormat sourceFormat) {
        renditions = LadderPlan.plan(settings.ladder(), videoCodecId == AV_CODEC_ID_H264, sourceWidth, sourceHeight);
        cadence = new SegmentCadence(settings.segmentTarget().toNanos() / 1000, renditions.stream().anyMatch(Rendition::passthrough));
        StreamFormat audio = aac == null ? null : aac.format();
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
            RenditionOutput out = new RenditionOutput(liveDir.resolve(r.name()), r.name(), settings.window(),
                    settings.targetDurationSeconds(), this::wallClock);
            CmafSegmenter s = new CmafSegmenter(r.name(), video, audio, MAX_INTERLEAVE_WAIT_MICROS, lowLatency(counting(out, r), r.name()));
            enableParts(s);
            outputs.put(r.name(), out);
            segmenters.put(r.name(), s);
            if (r.passthrough()) passthrough = s;
        }
    }

    private CmafSegmenter.Output counting(RenditionOutput out, Rendition r) {
        return new CmafSegmenter.Output() {
            @Override
            public void onInit(byte[] init) { out.onInit(init); }

            @Override
            public void onSegment(byte[] data, long start, long duration, int frames, boolean disc) {
                out.onSegment(data, start, duration, frames, disc);
                metrics.segments.increment();
                updateMaster();
            }
        };
    }

    // ------------------------------------------------------------------ low-latency HLS

    /**
     * The rendition's output, plus its low-latency parts when the broadcast has low-latency HLS: the same segmenter
     * calls feed the plain output (files, index.m3u8) first and then the parts and playlist in memory, so a segment is
     * on disk before a low-latency playlist lists it.
     */
    private CmafSegmenter.Output lowLatency(CmafSegmenter.Output plain, String rendition) {
        var ll = live.lowLatency();
        if (ll.isEmpty()) return plain;
        var r = ll.get().add(rendition, settings.targetDurationSeconds(), this::wallClock);
        return new CmafSegmenter.Output() {
            @Override
            public void onInit(byte[] init) {
                plain.onInit(init);
                r.onInit();
            }

            @Override
            public void onSegment(byte[] data, long start, long duration, int frames, boolean disc) {
                plain.onSegment(data, start, duration, frames, disc);
                r.onSegment(duration, disc);
            }

            @Override
            public void onPartStart(long startMicros, boolean independent) { r.onPartStart(startMicros, independent); }

            @Override
            public void onPartChunk(byte[] chunk) { r.onPartChunk(chunk); }

            @Override
            public void onPartEnd(long endMicros) { r.onPartEnd(endMicros); }

            @Override
            public void onPartAbandoned() { r.onPartAbandoned(); }
        };
    }

    private void enableParts(CmafSegmenter s) {
        live.lowLatency().ifPresent(ll -> s.enableParts(ll.settings().partTargetMicros()));
    }

    private Instant wallClock(long timelineMicros) {
        long zero = sync.zeroArrivalNanos();
        if (zero == 0 || zero == Long.MAX_VALUE) return null;
        long epochNanos = epochOffsetNanos + zero + (timelineMicros - sync.resumeAtMicros()) * 1000;
        return Instant.ofEpochSecond(0, epochNanos);
    }

    private void onLadderPacket(Rendition r, MediaPacket p, boolean boundary) {
        CmafSegmenter s = segmenters.get(r.name());
        if (s != null) guard("segmenter " + r.name(), () -> s.video(p, boundary), s);
    }

    private void onAudio(EncodedFrame f, long pts) {
        if (videoCodecId < 0 && settings.recordingEnabled() && !recording.opened()) recording.open(null);
        recording.audio(f.data(), pts);
        if (aac == null || !settings.liveEnabled()) return;
        if (videoCodecId < 0 && audioOnly == null) setUpAudioOnly();
        if (videoCodecId >= 0 && segmenters.isEmpty()) return; // video renditions not set up yet: nothing to mux into
        guard("audio transcoding", () -> aac.transcode(f.data(), pts, this::onAac));
    }

    private void onAac(MediaPacket p) {
        if (audioOnly != null) {
            boolean boundary = cadence.onAudioOnly(p.ptsMicros());
            guard("segmenter audio", () -> audioOnly.audio(p, boundary), audioOnly);
            return;
        }
        for (CmafSegmenter s : segmenters.values()) guard("segmenter " + s.name(), () -> s.audio(p, false), s);
    }

    private void setUpAudioOnly() {
        cadence = new SegmentCadence(settings.segmentTarget().toNanos() / 1000, false);
        RenditionOutput out = new RenditionOutput(liveDir.resolve("audio"), "audio", settings.window(),
                settings.targetDurationSeconds(), this::wallClock);
        Rendition r = new Rendition("audio", false, 0, 0, 0);
        renditions = List.of(r);
        audioOnly = new CmafSegmenter("audio", null, aac.format(), MAX_INTERLEAVE_WAIT_MICROS, lowLatency(counting(out, r), "audio"));
        enableParts(audioOnly);
        outputs.put("audio", out);
        segmenters.put("audio", audioOnly);
    }

    // ------------------------------------------------------------------ master playlist

    private void updateMaster() {
        long peak = 0;
        List<Variant> variants = new ArrayList<>();
        for (Rendition r : renditions) {
            RenditionOutput out = outputs.get(r.name());
            CmafSegmenter s = segmenters.get(r.name());
            if (out == null || s == null) continue;
            if (out.segmentCount() == 0) return; // not every rendition has a segment yet
            long audio = aac == null ? 0 : settings.audioBitRate();
            int w = r.passthrough() ? sourceWidth : r.width();
            int h = r.passthrough() ? sourceHeight : r.height();
            // An encoded rung peaks at its VBV cap. The source's rate is only measured (and over few segments yet):
            // it is at least what a rung of its size would be, so players never rank it below a smaller rendition.
            long rate = r.passthrough() ? Rung.defaultBitRate(w, h) : r.videoBitRate();
            long nominal = w == 0 ? audio : rate * 6 / 5 + audio;
            long bandwidth = Math.max(nominal, out.peakBitRate() * 11 / 10);
            peak = Math.max(peak, bandwidth);
            StringBuilder codecs = new StringBuilder();
            if (s.videoFormat() != null) codecs.append(s.videoFormat().codecs());
            if (s.audioFormat() != null) codecs.append(codecs.isEmpty() ? "" : ",").append(s.audioFormat().codecs());
            double fps = out.frameRate() > 0 ? Math.round(out.frameRate()) : 0;
            variants.add(new Variant(r.name(), live.id() + "/" + r.name() + "/index.m3u8", bandwidth, out.averageBitRate(), w, h, fps, codecs.toString()));
        }
        // Written once, and again only when a rendition's measured peak outgrew what the master claims by 20 %.
        if (masterWritten && peak <= advertisedPeak * 6 / 5) return;
        // Kept in memory: each player gets it rendered with its own viewer token in the variant URIs.
        live.master(new MasterPlaylist(variants));
        advertisedPeak = peak;
        if (!masterWritten) LOG.info("channel {}: HLS ready at /hls/{}/master.m3u8", slug, slug);
        masterWritten = true;
    }

    // ------------------------------------------------------------------ thumbnails

    private void thumbnail(byte[] keyframe, long pts) {
        if (thumbnailer == null) return;
        lastThumbnailMicros = pts;
        try {
            thumbnailer.render(keyframe).ifPresent(s -> writeThumbnail(s.jpeg()));
        } catch (RuntimeException e) {
            failures.failed("thumbnail", e);
        }
    }

    private void writeThumbnail(byte[] jpeg) {
        latestThumbnail = jpeg;
        if (!settings.liveEnabled()) return;
        try {
            Files.createDirectories(liveDir);
            Path tmp = liveDir.resolve(".thumbnail.jpg.tmp");
            Files.write(tmp, jpeg);
            Files.move(tmp, liveDir.resolve("thumbnail.jpg"), java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                    java.nio.file.StandardCopyOption.ATOMIC_MOVE);
            live.thumbnailWritten();
        } catch (IOException e) {
            failures.failed("thumbnail write", e);
        }
    }

    // ------------------------------------------------------------------ recording

    /** This broadcast's recording as the studio shows it; any thread. */
    RecordingState recordingState() { return recording.state(sanitiser.corrections().total()); }

    // ------------------------------------------------------------------ end

    /** End of the broadcast: flush every stage, end the playlists, close the recording. */
    FinishedRecording finish() {
        long now = System.nanoTime();
        for (TrackAssembler a : assemblers.values()) a.depacketizer().flush();
        sync.flush(now);
        if (ladder != null) guard("ladder drain", () -> ladder.finish());
        for (CmafSegmenter s : allSegmenters()) guard("segmenter " + s.name(), s::finish);
        for (RenditionOutput o : outputs.values()) {
            try {
                o.end();
            } catch (RuntimeException e) {
                failures.failed("playlist end", e);
            }
        }
        live.lowLatency().ifPresent(ll -> outputs.keySet().forEach(n -> ll.rendition(n).ifPresent(r -> r.end())));
        live.ended(clock.instant());
        FinishedRecording finished = recording.finish(latestThumbnail);
        for (TrackAssembler a : assemblers.values()) metrics.incompleteFrames.add(a.droppedFrames());
        failures.summary();
        sanitiser.summary();
        return finished;
    }

    void close() {
        for (CmafSegmenter s : allSegmenters()) s.close();
        if (ladder != null) ladder.close();
        if (aac != null) aac.close();
        if (thumbnailer != null) thumbnailer.close();
        recording.close();
    }

    private List<CmafSegmenter> allSegmenters() { return new ArrayList<>(segmenters.values()); }

    private void guard(String what, Runnable r) {
        try {
            r.run();
        } catch (RuntimeException e) {
            failures.failed(what, e);
        }
    }

    /** Runs a segmenter step; a failure resets that segmenter, which starts over (discontinuous) at the next boundary. */
    private void guard(String what, Runnable r, CmafSegmenter s) {
        try {
            r.run();
        } catch (RuntimeException e) {
            failures.failed(what, e);
            try {
                s.reset();
            } catch (RuntimeException again) {
                failures.failed(what + " reset", again);
            }
        }
    }

    /** How far behind the tap is; the ladder sheds work accordingly (the cheap stages never do). */
    enum Backlog { NONE, BEHIND, FAR_BEHIND }

    void setBacklog(Backlog b) {
        if (ladder == null) return;
        boolean shed = b != Backlog.NONE;
        boolean pause = b == Backlog.FAR_BEHIND;
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
                askKeyframe(); // the ladder resumes at a keyframe: don't wait for the publisher's next GOP
            }
        }
    }

    long sourceWidth() { return sourceWidth; }

    long sourceHeight() { return sourceHeight; }

    List<Rendition> renditions() { return renditions; }

    AvSync.Alignment alignment() { return sync.alignment(); }
}
