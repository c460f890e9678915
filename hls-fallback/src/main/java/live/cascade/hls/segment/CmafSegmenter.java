package live.cascade.hls.segment;

import live.cascade.hls.media.Ffmpeg;
import live.cascade.hls.media.FfmpegException;
import live.cascade.hls.media.MediaPacket;
import live.cascade.hls.media.Muxing;
import live.cascade.hls.media.StreamFormat;
import org.bytedeco.ffmpeg.avcodec.AVPacket;
import org.bytedeco.ffmpeg.avformat.AVFormatContext;
import org.bytedeco.ffmpeg.avformat.AVIOContext;
import org.bytedeco.ffmpeg.avutil.AVDictionary;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.Pointer;

import java.io.ByteArrayOutputStream;
import java.util.ArrayDeque;

import static org.bytedeco.ffmpeg.global.avcodec.av_packet_alloc;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_free;
import static org.bytedeco.ffmpeg.global.avformat.av_write_frame;
import static org.bytedeco.ffmpeg.global.avformat.av_write_trailer;
import static org.bytedeco.ffmpeg.global.avformat.avformat_alloc_output_context2;
import static org.bytedeco.ffmpeg.global.avformat.avformat_free_context;
import static org.bytedeco.ffmpeg.global.avformat.avformat_write_header;
import static org.bytedeco.ffmpeg.global.avformat.avio_close_dyn_buf;
import static org.bytedeco.ffmpeg.global.avformat.avio_open_dyn_buf;
import static org.bytedeco.ffmpeg.global.avutil.av_dict_free;
import static org.bytedeco.ffmpeg.global.avutil.av_dict_set;
import static org.bytedeco.ffmpeg.global.avutil.av_free;

/**
 * Cuts one rendition into CMAF segments: an initialization segment ({@code ftyp}+{@code moov}) and media segments
 * ({@code moof}+{@code mdat}), from FFmpeg's MP4 muxer in fragmented mode with {@code frag_custom}, so that this class,
 * not the muxer, decides where fragments end. Each fragment is written into an in-memory buffer and handed to the
 * {@link Output} whole.
 *
 * <p>Segments start where the caller marks a boundary (a keyframe): all renditions are cut at the same instants.
 * Audio and video arrive from different encoders with different delays, so packets are held in two queues and
 * committed in timestamp order; a stream that stops delivering holds the other back at most {@code maxWaitMicros}.
 * Timestamps are written as they are on the tap's timeline ({@code tfdt} is absolute), so every rendition's segments
 * line up in time.
 *
 * <p>Why segments and not the muxer's own HLS output: low-latency HLS needs parts (smaller fragments) inside
 * segments and preload hints, which this design adds by flushing fragments more often and grouping them; FFmpeg's
 * {@code hls} muxer would have to be replaced for that.
 */
public final class CmafSegmenter implements AutoCloseable {
    /** Receives the initialization segment and each media segment, on the caller's thread. */
    public interface Output {
        void onInit(byte[] init);

        void onSegment(byte[] data, long startMicros, long durationMicros, int videoFrames, boolean discontinuity);

        // Low-latency HLS (only called after enableParts): a segment is the concatenation of its parts, and a part the
        // concatenation of its chunks, so the bytes of a part can be served while it is still being written.

        /** A part starts at {@code startMicros}; {@code independent} when it starts with a keyframe. */
        default void onPartStart(long startMicros, boolean independent) {}

        /** More bytes of the open part: one fragment ({@code moof}+{@code mdat}) holding one frame and the audio near it. */
        default void onPartChunk(byte[] chunk) {}

        /** The open part ends at {@code endMicros} (where the next one starts). */
        default void onPartEnd(long endMicros) {}

        /** The open part will never be finished (the muxer failed and starts over). */
        default void onPartAbandoned() {}
    }

    private record Pending(MediaPacket packet, boolean video, boolean boundary) {
        long pts() { return packet.ptsMicros(); }
    }

    private final String name;
    private final long maxWaitMicros;
    private final Output output;
    private final ArrayDeque<Pending> videoQueue = new ArrayDeque<>();
    private final ArrayDeque<Pending> audioQueue = new ArrayDeque<>();
    private final AVPacket pkt = av_packet_alloc();
    private StreamFormat video;
    private StreamFormat audio;
    private AVFormatContext ctx;
    private int videoIndex = -1;
    private int audioIndex = -1;
    private boolean started;
    private boolean segmentHasData;
    private long segmentStart;
    private int segmentFrames;
    private long lastEnd;
    private long newestVideo = Long.MIN_VALUE;
    private long newestAudio = Long.MIN_VALUE;
    private boolean discontinuityPending;
    private long segments;
    // Low-latency HLS parts; partTargetMicros 0 = off (segments are flushed whole, as for plain HLS).
    private long partTargetMicros;
    private boolean partOpen;
    private long partStart;
    private boolean chunkHasData;
    private long lastPrimaryPts = Long.MIN_VALUE;
    private long lastPrimaryInterval;
    private ByteArrayOutputStream segmentBytes;

    /**
     * @param video null when the rendition has no video (then audio packets carry the boundaries)
     * @param audio null when it has no audio
     */
    public CmafSegmenter(String name, StreamFormat video, StreamFormat audio, long maxWaitMicros, Output output) {
        if (video == null && audio == null) throw new IllegalArgumentException("a rendition needs a stream");
        Ffmpeg.load();
        this.name = name;
        this.video = video;
        this.audio = audio;
        this.maxWaitMicros = maxWaitMicros;
        this.output = output;
    }

    /**
     * Cuts segments into low-latency HLS parts of at most {@code partTargetMicros} (whole milliseconds, as a playlist
     * shows them): every frame is flushed as its own fragment (a chunk, handed out at once), a part is a run of chunks,
     * and a segment the run of its parts. Call before the first packet.
     */
    public void enableParts(long partTargetMicros) {
        if (started) throw new IllegalStateException("parts must be enabled before " + name + " starts");
        this.partTargetMicros = partTargetMicros;
        this.segmentBytes = new ByteArrayOutputStream(64 * 1024);
    }

    /** A video packet; {@code boundary} starts a new segment there (the packet must be a keyframe). */
    public void video(MediaPacket p, boolean boundary) {
        if (video == null) return;
        videoQueue.addLast(new Pending(p, true, boundary));
        newestVideo = Math.max(newestVideo, p.ptsMicros());
        pump(false);
    }

    /** An audio packet; {@code boundary} matters only for a rendition without video. */
    public void audio(MediaPacket p, boolean boundary) {
        if (audio == null) return;
        audioQueue.addLast(new Pending(p, false, boundary && video == null));
        newestAudio = Math.max(newestAudio, p.ptsMicros());
        pump(false);
    }

    private void pump(boolean force) {
        while (true) {
            Pending v = videoQueue.peekFirst();
            Pending a = audioQueue.peekFirst();
            Pending next;
            if (v != null && a != null) {
                next = v.pts() <= a.pts() ? v : a;
            } else if (v != null) {
                if (audio != null && !force && newestVideo - v.pts() < maxWaitMicros) return;
                next = v;
            } else if (a != null) {
                if (video != null && !force && newestAudio - a.pts() < maxWaitMicros) return;
                next = a;
            } else {
                return;
            }
            (next.video ? videoQueue : audioQueue).removeFirst();
            commit(next);
        }
    }

    private void commit(Pending p) {
        boolean primary = p.video || video == null;
        if (!started) {
            if (!primary || !p.boundary) return; // nothing before the first boundary can start a segment
            openIfNeeded();
            started = true;
            segmentStart = p.pts();
            segmentFrames = 0;
        } else if (primary && p.boundary && segmentHasData) {
            flushSegment(p.pts());
            segmentStart = p.pts();
        } else if (primary && partTargetMicros > 0) {
            flushChunk();
            if (partOpen && partWouldOverrun(p)) endPart(p.pts());
        }
        if (primary && partTargetMicros > 0) {
            if (lastPrimaryPts != Long.MIN_VALUE && p.pts() > lastPrimaryPts) lastPrimaryInterval = p.pts() - lastPrimaryPts;
            lastPrimaryPts = p.pts();
            if (!partOpen) {
                partOpen = true;
                partStart = p.pts();
                output.onPartStart(p.pts(), !p.video || p.packet.keyframe());
            }
        }
        if (p.pts() < segmentStart && !p.video && audioIndex >= 0 && !segmentHasData) {
            return; // audio from before the segment's first picture
        }
        Muxing.write(ctx, pkt, p.video ? videoIndex : audioIndex, p.packet, 0, false);
        segmentHasData = true;
        chunkHasData = true;
        if (p.video) segmentFrames++;
        lastEnd = Math.max(lastEnd, p.pts() + p.packet.durationMicros());
    }

    private void openIfNeeded() {
        if (ctx != null) return;
        AVFormatContext c = new AVFormatContext(null);
        Ffmpeg.check(avformat_alloc_output_context2(c, null, "mp4", null), "mp4 muxer for " + name);
        ctx = c;
        videoIndex = video == null ? -1 : Muxing.addStream(ctx, video);
        audioIndex = audio == null ? -1 : Muxing.addStream(ctx, audio);
        // Timestamps stay as they are on the timeline: no shifting the first sample to zero, and frag_discont makes
        // the first fragment's tfdt its real decode time instead of 0.
        ctx.avoid_negative_ts(0);
        openBuffer();
        AVDictionary opts = new AVDictionary(null);
        try {
            av_dict_set(opts, "movflags", "frag_custom+empty_moov+default_base_moof+frag_discont+cmaf", 0);
            Ffmpeg.check(avformat_write_header(ctx, opts), "mp4 header for " + name);
        } finally {
            av_dict_free(opts);
        }
        output.onInit(closeBuffer());
        openBuffer();
    }

    /**
     * Whether the open part, with {@code p} (the next frame) in it, would be longer than the target as a playlist shows
     * it (milliseconds). A frame lasts as long as it says or as the frames before it did, whichever is longer.
     */
    private boolean partWouldOverrun(Pending p) {
        long frame = Math.max(p.packet.durationMicros(), lastPrimaryInterval);
        return Math.round((p.pts() + frame - partStart) / 1000.0) > Math.round(partTargetMicros / 1000.0);
    }

    /** Writes out what the muxer holds as one fragment: the next chunk of the open part. */
    private void flushChunk() {
        if (!chunkHasData) return;
        Ffmpeg.check(av_write_frame(ctx, null), "flush fragment of " + name);
        byte[] chunk = closeBuffer();
        openBuffer();
        chunkHasData = false;
        segmentBytes.writeBytes(chunk);
        if (partOpen) output.onPartChunk(chunk);
    }

    private void endPart(long endMicros) {
        partOpen = false;
        output.onPartEnd(endMicros);
    }

    private void flushSegment(long endMicros) {
        byte[] data;
        if (partTargetMicros > 0) {
            flushChunk();
            if (partOpen) endPart(endMicros);
            data = segmentBytes.toByteArray();
            segmentBytes.reset();
        } else {
            Ffmpeg.check(av_write_frame(ctx, null), "flush fragment of " + name);
            data = closeBuffer();
            openBuffer();
        }
        segments++;
        boolean disc = discontinuityPending;
        discontinuityPending = false;
        segmentHasData = false;
        output.onSegment(data, segmentStart, Math.max(1, endMicros - segmentStart), segmentFrames, disc);
        segmentFrames = 0;
    }

    private void openBuffer() {
        AVIOContext pb = new AVIOContext(null);
        Ffmpeg.check(avio_open_dyn_buf(pb), "avio_open_dyn_buf");
        ctx.pb(pb);
    }

    private byte[] closeBuffer() {
        BytePointer buf = new BytePointer((Pointer) null);
        int n = avio_close_dyn_buf(ctx.pb(), buf);
        ctx.pb(null);
        try {
            byte[] out = new byte[Math.max(0, n)];
            if (n > 0) buf.capacity(n).get(out);
            return out;
        } finally {
            if (!buf.isNull()) av_free(buf);
        }
    }

    /**
     * Ends the current segment where its last packet ends and starts over with new formats (a reconnected publisher):
     * the next boundary opens a new initialization segment, and the segment after it is marked discontinuous.
     */
    public void discontinuity(StreamFormat newVideo, StreamFormat newAudio) {
        finishCurrent();
        closeMuxer();
        if (newVideo != null || video == null) video = newVideo == null ? video : newVideo;
        if (newAudio != null) audio = newAudio;
        started = false;
        discontinuityPending = segments > 0;
    }

    /**
     * After {@link #discontinuity}, before the next boundary: the new source's video format (a reconnected
     * publisher's parameter sets are known only at its first keyframe).
     */
    public void replaceVideoFormat(StreamFormat newVideo) {
        if (ctx != null) throw new IllegalStateException("the muxer of " + name + " is open; call discontinuity first");
        video = newVideo;
    }

    /** Drops what is queued and the open muxer after a failure; the next boundary starts afresh (discontinuous). */
    public void reset() {
        videoQueue.clear();
        audioQueue.clear();
        segmentHasData = false;
        abandonPart();
        started = false;
        discontinuityPending = segments > 0;
        closeMuxer();
    }

    /** Writes out everything held (end of stream): the last segment ends where its last packet does. */
    public void finish() {
        finishCurrent();
    }

    private void finishCurrent() {
        pump(true);
        if (started && segmentHasData) flushSegment(lastEnd);
    }

    /** Forgets the half-made part and segment (the muxer is going away). */
    private void abandonPart() {
        if (partOpen) output.onPartAbandoned();
        partOpen = false;
        chunkHasData = false;
        lastPrimaryPts = Long.MIN_VALUE;
        if (segmentBytes != null) segmentBytes.reset();
    }

    private void closeMuxer() {
        if (ctx == null) return;
        try {
            if (ctx.pb() == null || ctx.pb().isNull()) openBuffer();
            av_write_trailer(ctx);
            closeBuffer();
        } catch (FfmpegException e) {
            // The muxer is being thrown away; its trailer (an mfra index) is of no use to HLS anyway.
        } finally {
            avformat_free_context(ctx);
            ctx = null;
        }
    }

    public long segments() { return segments; }

    public String name() { return name; }

    public StreamFormat videoFormat() { return video; }

    public StreamFormat audioFormat() { return audio; }

    @Override
    public void close() {
        closeMuxer();
        av_packet_free(pkt);
    }
}
