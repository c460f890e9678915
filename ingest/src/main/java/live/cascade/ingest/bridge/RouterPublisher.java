package live.cascade.ingest.bridge;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.ThreadLocalRandom;
import live.cascade.ingest.BFramePolicy;
import live.cascade.ingest.StreamPublisher;
import live.cascade.ingest.StreamPublishers;
import live.cascade.ingest.flv.AvcConfig;
import live.cascade.ingest.flv.DirectConfig;
import live.cascade.ingest.flv.FlvException;
import live.cascade.ingest.flv.VideoTag;
import live.cascade.ingest.rtp.H264Packetizer;
import live.cascade.ingest.rtp.OpusPacketizer;
import live.cascade.ingest.rtp.RtpBatch;
import live.cascade.sfu.params.TrackParameters;
import live.cascade.signaling.session.BroadcastService;
import live.cascade.signaling.session.ChannelRef;
import live.cascade.signaling.session.LocalPublishResult;
import live.cascade.signaling.session.LocalPublisher;
import live.cascade.signaling.session.Refusal;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One RTMP publish into the channel's router, on the connection's thread: H.264 from FLV into RTP (RFC 6184, FU-A at
 * {@link #MTU}), AAC transcoded to Opus, both on the encoder's timeline (video RTP time from DTS + CTS at 90 kHz, audio
 * from the count of samples at 48 kHz), with sender reports that tie both to the wall clock. The router publication
 * starts at the first AVC sequence header (its profile goes into the track's SDP, which viewers negotiate); each frame
 * reaches the channel's lane in one hop. B-frames and codecs WebRTC viewers cannot take are reported to the creator;
 * enhanced RTMP's HEVC and AV1 go to the broadcast's tap alone ({@link DirectVideo}: HLS and the recording).
 */
final class RouterPublisher implements StreamPublisher {
    private static final Logger LOG = LoggerFactory.getLogger(RouterPublisher.class);
    static final int MTU = 1200;
    static final int VIDEO_PT = IngestTracks.VIDEO_PT;
    static final int AUDIO_PT = IngestTracks.AUDIO_PT;
    /**
     * Audio this long (media time) with no video tag at all starts the broadcast with its audio track alone. Encoders
     * send the video sequence header first, before any audio frame, so a stream with video is never mistaken.
     */
    static final long AUDIO_ONLY_AFTER_MS = 500;
    /** A sender report per track about this often (media time). */
    private static final long REPORT_INTERVAL_MS = 1000;

    private final ChannelRef channel;
    private final BroadcastService service;
    private final StreamPublishers.PublishEvents events;
    private final Executor connection;
    private final RouterPublishers owner;
    private final long videoSsrc;
    private final long audioSsrc;
    private final RtpBatch batch = new RtpBatch();
    private final H264Packetizer video;
    private final OpusPacketizer audio;
    private LocalPublisher publisher;
    private AvcConfig avc;
    /** An enhanced-RTMP HEVC or AV1 publish's video (HLS and recording only), or null. */
    private DirectVideo direct;
    /** The AVC sequence header's body as sent, for the B-frame re-encoder's decoder. */
    /** Under {@code --ingest-bframes reencode}: the B-frame re-encode, idle until B-frames are seen. */
    private final BframeReencode reencode;
    private List<byte[]> parameterSets = List.of();
    /** The AAC audio since its sequence header, or null before one (or when it cannot be decoded). */
    private AacTrack aac;
    private long lastAudioMs;
    private boolean closed;
    private boolean bframes;
    /** Any video tag seen (then the publish starts at the AVC sequence header, not as audio only). */
    private boolean sawVideo;
    /** Started with the audio track alone: no video tag in the first {@link #AUDIO_ONLY_AFTER_MS} of audio. */
    private boolean audioOnly;
    private boolean audioOnlyVideoWarned;
    private long firstAudioMs = Long.MIN_VALUE;
    private String videoCodec;
    private final List<String> warnings = new ArrayList<>();
    private final MediaClock clock = new MediaClock();
    private long nextVideoReport;
    private long nextAudioReport;
    private final byte[] rtcp = new byte[2 * SenderReport.LENGTH];
    /** 2 when the audio sender report in {@link #rtcp} waits for the next hop, else 0. */
    private int pendingAudioReport;

    RouterPublisher(ChannelRef channel, BroadcastService service, StreamPublishers.PublishEvents events, Executor connection,
                    RouterPublishers owner) {
        this.channel = channel;
        this.service = service;
        this.events = events;
        this.connection = connection;
        this.owner = owner;
        ThreadLocalRandom r = ThreadLocalRandom.current();
        this.videoSsrc = 1 + r.nextLong(0xFFFF_FFFEL);
        this.audioSsrc = 1 + r.nextLong(0xFFFF_FFFEL);
        this.video = new H264Packetizer(videoSsrc, VIDEO_PT, r.nextInt(1 << 16), MTU);
        this.audio = new OpusPacketizer(audioSsrc, AUDIO_PT, r.nextInt(1 << 16));
        this.reencode = new BframeReencode(channel.slug(), this::reencodedOnItsThread, owner.reencodeDropCounter());
        owner.update(channel, status());
    }

    @Override
    public void video(long ts, byte[] tag) {
        if (closed) return;
        sawVideo = true;
        if (audioOnly) {
            if (!audioOnlyVideoWarned) {
                audioOnlyVideoWarned = true;
                warn("NetStream.Publish.AudioOnly", "Video arrived after the broadcast had started as audio only; it is not "
                        + "shown. Stop and start the stream to send video.");
            }
            return;
        }
        VideoTag v;
        try {
            v = VideoTag.parse(tag);
        } catch (FlvException e) {
            owner.malformedTag();
            return;
        }
        if (!v.avc()) {
            if (DirectConfig.handles(v.codec()) && (direct == null || direct.fourcc().equals(v.codec()))) direct(ts, tag, v);
            else unsupported(v.codec());
            return;
        }
        if (v.packetType() == VideoTag.SEQUENCE_HEADER) {
            sequenceHeader(tag, v);
            return;
        }
        if (v.packetType() != VideoTag.FRAMES || avc == null) return;
        if (v.cts() != 0 && !bframes) {
            bframes = true;
            owner.bframesFound();
            if (owner.bframePolicy() == BFramePolicy.REJECT) {
                rejectBframes(v.cts());
                return;
            }
            boolean reencode = owner.bframePolicy() == BFramePolicy.REENCODE && startReencoder();
            LOG.info("channel {}: the {} stream has B-frames (composition offset {} ms); {}", channel.slug(), events.protocol(),
                    v.cts(), reencode ? "its video is re-encoded for WebRTC viewers" : "the creator is told how to turn them off");
            warn(BFrameMessages.BFRAMES_CODE, reencode ? BFrameMessages.BFRAMES_REENCODED : BFrameMessages.BFRAMES);
        }
        if (publisher == null) {
            // Started at the sequence header unless B-frames are rejected; null then means it was refused (closed).
            if (owner.bframePolicy() != BFramePolicy.REJECT) return;
            start(avc);
            if (publisher == null) return;
        }
        long pts = ts + v.cts();
        clock.mark(ts);
        // From the first keyframe on, the re-encoder's output replaces the source (see reencodedOnItsThread).
        if (reencode.offer(tag, v.dataOffset(), ts, pts, v.keyframe())) return;
        sendVideo(tag, v.dataOffset(), avc.lengthSize(), pts, v.keyframe(), parameterSets);
    }

    /** Re-encoder thread: one access unit without B-frames; packetized on the connection's thread like the source's. */
    private void reencodedOnItsThread(byte[] avcc, long ptsMillis, boolean keyframe) {
        try {
            connection.execute(() -> {
                if (closed || publisher == null || !reencode.replacing()) return;
                // x264 repeats SPS and PPS in band before every IDR: the source's parameter sets do not apply.
                sendVideo(avcc, 0, 4, ptsMillis, keyframe, List.of());
            });
        } catch (java.util.concurrent.RejectedExecutionException e) {
            // the connection is gone
        }
    }

    private boolean startReencoder() {
        if (!reencode.start()) return false;
        owner.bframesReencoded();
        videoCodec = videoCodec + BFrameMessages.REENCODED;
        return true;
    }

    private void sendVideo(byte[] data, int off, int lengthSize, long pts, boolean keyframe, List<byte[]> inFront) {
        int units = video.packetize(data, off, lengthSize, (pts * 90) & 0xFFFF_FFFFL, keyframe, inFront, batch);
        if (units == H264Packetizer.FILLER_ONLY) return;
        if (units == 0) {
            owner.malformedTag();
            return;
        }
        int reports = 0;
        if (pts >= nextVideoReport) {
            SenderReport.write(rtcp, 0, videoSsrc, clock.wall(pts), (pts * 90) & 0xFFFF_FFFFL, video.packets(), video.octets());
            nextVideoReport = pts + REPORT_INTERVAL_MS;
            reports = 1;
        }
        flush(reports, null, 0);
    }

    private void sequenceHeader(byte[] tag, VideoTag v) {
        AvcConfig config;
        try {
            config = AvcConfig.parse(tag, v.dataOffset(), tag.length - v.dataOffset());
        } catch (FlvException e) {
            owner.malformedTag();
            LOG.info("channel {}: unreadable AVC sequence header ({})", channel.slug(), e.getMessage());
            return;
        }
        avc = config;
        reencode.sequenceHeader(tag, v.dataOffset());
        List<byte[]> ps = new ArrayList<>(config.sps());
        ps.addAll(config.pps());
        parameterSets = List.copyOf(ps);
        videoCodec = "H264 (profile-level-id " + config.profileLevelId() + ")" + (reencode.active() ? BFrameMessages.REENCODED : "");
        owner.update(channel, status());
        // Under --ingest-bframes reject the broadcast starts at the first frame instead, once it is known to have no
        // composition offset: a stream that is refused never goes live (no go-live notifications, no viewers).
        if (publisher == null && owner.bframePolicy() != BFramePolicy.REJECT) start(config);
    }

    /** Under {@code --ingest-bframes reject}: ends this publish (live or not yet) and tells the encoder why. */
    private void rejectBframes(int cts) {
        owner.bframesRejected();
        LOG.info("channel {}: {} publish refused: its H.264 has B-frames (composition offset {} ms) and --ingest-bframes is reject",
                channel.slug(), events.protocol(), cts);
        close();
        events.rejected(BFrameMessages.BFRAMES_CODE, BFrameMessages.BFRAMES_REJECTED);
    }

    /**
     * Enhanced RTMP HEVC or AV1: the broadcast goes live with the Opus track in the router and the video handed to the
     * tap alone ({@link DirectVideo}); WHEP offers for video are refused with a sentence, and players fall back to HLS.
     */
    private void direct(long ts, byte[] tag, VideoTag v) {
        if (direct == null) direct = new DirectVideo(v.codec());
        if (v.packetType() == VideoTag.SEQUENCE_HEADER) {
            DirectConfig config = direct.configure(tag, v);
            if (config == null) {
                owner.malformedTag();
                return;
            }
            videoCodec = config.describe();
            String note = DirectVideo.note(config.codecName());
            if (!warnings.contains(note)) warn(DirectVideo.CODE, note);
            else owner.update(channel, status());
            if (publisher == null) {
                start(IngestTracks.router(null, videoSsrc, audioSsrc), List.of(IngestTracks.direct(config.trackCodec(), videoSsrc)));
            }
            return;
        }
        if (v.packetType() != VideoTag.FRAMES || publisher == null || !direct.configured()) return;
        clock.mark(ts);
        if (!direct.frame(publisher, tag, v, ts, clock.wall(ts))) owner.malformedTag();
    }

    private void start(AvcConfig config) {
        start(IngestTracks.router(config, videoSsrc, audioSsrc), List.of());
    }

    private void start(List<TrackParameters> tracks, List<TrackParameters> direct) {
        LocalPublishResult result = service.publishLocal(channel, tracks, direct, this::endedByNode);
        switch (result) {
            case LocalPublisher p -> publisher = p;
            case Refusal r -> {
                closed = true;
                owner.remove(channel, this);
                events.refused(r.detail());
            }
        }
    }

    /** Lane thread: the session ended. When the node ended it (not our close), the connection is told and closes. */
    private void endedByNode() {
        try {
            connection.execute(() -> {
                if (closed) return;
                closed = true;
                owner.remove(channel, this);
                events.ended("The broadcast was ended on the server (stopped by its owner, suspended, or another publisher took over).");
            });
        } catch (java.util.concurrent.RejectedExecutionException e) {
            // The connection's event loop has already stopped (node shutdown closes the listeners first): nothing is
            // left to tell; only the status entry is ours to drop.
            owner.remove(channel, this);
        }
    }

    private void unsupported(String codec) {
        if (codec.equals(videoCodec)) return;
        videoCodec = codec;
        warn("NetStream.Publish.UnsupportedCodec", "Video codec " + codec + " cannot be played by WebRTC viewers here; send "
                + "H.264 (in OBS: Encoder x264 or NVENC H.264).");
    }

    @Override
    public void unsupportedVideo(String what) {
        String text = UNSUPPORTED_TS_VIDEO_PREFIX + what + UNSUPPORTED_TS_VIDEO_SUFFIX;
        if (closed || sawVideo || warnings.contains(text)) return;
        warn("NetStream.Publish.UnsupportedCodec", text);
    }

    static final String UNSUPPORTED_TS_VIDEO_PREFIX = "The stream's video (";
    static final String UNSUPPORTED_TS_VIDEO_SUFFIX = ") cannot be taken over SRT: the node reads H.264 or HEVC from "
            + "MPEG-TS (AV1 in MPEG-TS is not read by the node's FFmpeg). The broadcast goes on as audio only; for AV1 "
            + "publish over RTMP (enhanced RTMP: OBS 30+ or FFmpeg 8's FLV muxer).";

    /** Tells the creator: stream health (the warning and the status) and the encoder ({@code onStatus}). */
    private void warn(String code, String text) {
        warnings.add(text);
        owner.update(channel, status());
        events.warning(code, text);
    }

    @Override
    public void audio(long ts, byte[] tag) {
        if (closed || tag.length < 2) return;
        int format = (tag[0] & 0xFF) >> 4;
        if (format != 10) return; // only AAC is transcoded; MP3/Speex tags are dropped
        if ((tag[1] & 0xFF) == 0) {
            if (aac != null) aac.close();
            try {
                aac = new AacTrack(tag, ts);
            } catch (RuntimeException e) {
                aac = null;
                LOG.warn("channel {}: cannot transcode its AAC to Opus: {}", channel.slug(), e.getMessage());
                return;
            }
            owner.update(channel, status());
            return;
        }
        if (aac == null) return;
        if (publisher == null) {
            if (sawVideo || closed) return;
            if (firstAudioMs == Long.MIN_VALUE) firstAudioMs = ts;
            if (ts - firstAudioMs < AUDIO_ONLY_AFTER_MS) return;
            audioOnly = true;
            videoCodec = "none (audio only)";
            owner.update(channel, status());
            LOG.info("channel {}: no video in the first {} ms of the RTMP/SRT stream; live as audio only", channel.slug(), AUDIO_ONLY_AFTER_MS);
            start(null);
            if (publisher == null) return;
        }
        clock.mark(ts);
        lastAudioMs = ts;
        aac.transcode(tag, this::opus);
        long originalTs = aac.nextOriginalTimestamp();
        flush(pendingAudioReport, aac.passConfig() == null ? null : tag, originalTs);
        pendingAudioReport = 0;
    }


    private void opus(byte[] data, int len, long sampleIndex) {
        long rtpTs = (aac.base() + sampleIndex) & 0xFFFF_FFFFL;
        audio.packet(data, len, rtpTs, batch);
        long mediaMs = aac.base() / 48 + sampleIndex / 48;
        if (mediaMs >= nextAudioReport && pendingAudioReport == 0) {
            SenderReport.write(rtcp, SenderReport.LENGTH, audioSsrc, clock.wall(mediaMs), rtpTs, audio.packets(), audio.octets());
            nextAudioReport = mediaMs + REPORT_INTERVAL_MS;
            pendingAudioReport = 2;
        }
    }

    /**
     * Hands the batch (and a sender report: 1 video, 2 audio; and the AAC tag the audio came from, for the tap, at
     * {@code originalTs}) to the lane in one task.
     */
    private void flush(int report, byte[] originalTag, long originalTs) {
        if (batch.isEmpty() && report == 0 && originalTag == null) return;
        LocalPublisher p = publisher;
        byte[] packets = batch.drain();
        byte[] sr = report == 0 ? null : java.util.Arrays.copyOfRange(rtcp, (report - 1) * SenderReport.LENGTH, report * SenderReport.LENGTH);
        byte[] config = originalTag == null ? null : aac.passConfig();
        p.lane().execute(() -> {
            if (p.closed()) return;
            // The AAC first: the tap decides at the first keyframe on its timeline whether to take the AAC, and that
            // timeline waits for the audio's first Opus and report; queued behind them, the config could miss it.
            if (originalTag != null) p.originalAudio(config, originalTag, 2, originalTag.length - 2, originalTs);
            RtpBatch.forEach(packets, p::rtp);
            if (sr != null) p.rtcp(sr, 0, sr.length);
        });
    }

    IngestStatus status() {
        return new IngestStatus(events.protocol(), videoCodec, aac != null ? "AAC → Opus" : null, warnings, direct == null);
    }

    @Override
    public void close() {
        if (closed) return;
        closed = true;
        owner.remove(channel, this);
        if (publisher != null) publisher.close();
        reencode.close();
        if (aac != null) {
            // Free the codecs after the last frame has left this thread (close runs on it).
            aac.close();
            aac = null;
        }
    }
}
