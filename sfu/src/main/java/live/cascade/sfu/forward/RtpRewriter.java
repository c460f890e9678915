package live.cascade.sfu.forward;

import java.nio.charset.StandardCharsets;
import live.cascade.sfu.params.HeaderExtensions;
import live.cascade.sfu.rtp.AbsSendTime;
import live.cascade.sfu.rtp.BigEndian;
import live.cascade.sfu.rtp.HeaderExtensionCursor;
import live.cascade.sfu.rtp.HeaderExtensionMap;
import live.cascade.sfu.rtp.RtpExtension;
import live.cascade.sfu.rtp.RtpHeader;
import live.cascade.sfu.rtp.SequenceNumbers;
import live.cascade.sfu.rtp.SequenceUnwrapper;
import live.cascade.sfu.rtp.Timestamps;

/**
 * Turns one publisher track's packets into one viewer's: copies a parsed packet into the viewer's buffer and rewrites
 * SSRC, sequence number, timestamp, payload type and header extensions in place. Same length in and out; no
 * allocation.
 *
 * <h2>Continuity</h2>
 * Output sequence numbers and timestamps are the input's plus an offset (extended 64-bit arithmetic, so reordered and
 * late packets map consistently and both sides may wrap). The offsets are fixed when the rewriter <em>anchors</em> on
 * the first packet it forwards, and again after {@link #rebase()} or an input SSRC change (a publisher reconnect with
 * new random bases): the next packet then gets the last output sequence number + 1 and the last output timestamp plus
 * the wall-clock time since it was sent, so a viewer sees a freeze, never a jump. Packets that would map before the
 * anchor (late arrivals from before the start or from the previous stream) are refused, as they would reuse
 * sequence numbers already sent.
 *
 * <h2>Header extensions</h2>
 * Ids are mapped from the publisher's to the viewer's negotiation. An element the viewer did not negotiate (or whose
 * id its form cannot carry) is removed by zeroing its bytes, which RFC 8285 receivers read as padding. Values that
 * only make sense per hop are replaced: mid becomes the viewer's mid (or is removed if it does not fit), rid and
 * repaired-rid are removed, transport-cc takes the viewer transport's next sequence number, and abs-send-time our
 * send time. Blocks that are not RFC 8285 form are left as they are. When the viewer negotiated transport-cc and the
 * publisher's packet has no such element (FFmpeg and OBS over WHIP, RTMP ingest), one is inserted, so the viewer's
 * feedback covers every packet and our estimate toward it works whoever publishes: the packet grows by 4 bytes (8
 * when it had no extension block), which {@link #outLength()} and {@link #outHeaderLength()} report.
 *
 * <h2>Catching up</h2>
 * A viewer that starts from a cached keyframe is sent the cached packets faster than real time. Between
 * {@link #beginCatchUp} and {@link #endCatchUp} a frame's timestamp is the time its first packet is sent (the
 * {@code nowNanos} given to {@link #rewrite}, which the caller sets to when the packet will leave its pacer): the
 * anchor's timestamp plus the time since the anchor, one tick past the previous frame at least. So the viewer sees a stream
 * whose timestamps advance exactly as its frames arrive (a brief fast-forward) rather than one that arrives early and
 * then plays out seconds behind live. Timestamps compressed by the catch-up's speed instead promised more than the
 * catch-up delivers, since its bytes are capped too: large frames came later than their timestamps said, and
 * Chromium's jitter estimator, which learns a delay per byte of frame and forgets it over hundreds of frames, kept
 * a larger buffer long after the join. At the end the offset is moved so that later packets continue from the last
 * catch-up frame at normal speed. Each catch-up frame's input and output timestamps are kept
 * ({@link CatchUpFrames}), so its packets sent again (retransmissions, late repairs) keep the timestamp they had.
 */
public final class RtpRewriter {
    private final long outSsrc;
    private final int outPayloadType;
    private final int clockRate;
    private final HeaderExtensionMap outExtensions;
    private final byte[] outMid;
    private final TransportWideSequence transportSequence;
    private final long initialSequence;
    private final long initialTimestamp;

    private final SequenceUnwrapper inSequence = new SequenceUnwrapper();
    private final HeaderExtensionCursor cursor = new HeaderExtensionCursor();
    private HeaderExtensionMap inExtensions = HeaderExtensionMap.NONE;

    private boolean anchored;
    private boolean haveInputSsrc;
    private long inSsrc;
    private long sequenceOffset;
    private long timestampOffset;
    private long firstOutSequence;

    private boolean catchingUp;
    private long catchUpEndExt = Long.MIN_VALUE;
    private long catchUpBaseOut;
    private long catchUpBaseNanos;
    private CatchUpFrames catchUpFrames;
    private boolean haveHighestIn;
    private long highestInExt;
    private long highestInTimestamp;
    private long highestInOutTimestamp;

    /** Room a caller needs after a rewritten packet (RTX's original sequence number and the SRTP tag). */
    static final int TAIL_RESERVE = 2 + 32;
    private boolean stampedTransportCc;
    private int outLength;
    private int outHeaderLength;

    private boolean sentAny;
    private long highestOutSequence;
    private long highestOutTimestamp;
    private long highestOutNanos;

    /**
     * @param outSsrc            the SSRC the viewer was told about
     * @param outPayloadType     the viewer's payload type for the codec
     * @param clockRate          the codec's clock rate
     * @param outExtensions      the viewer's extension ids
     * @param outMid             the viewer's mid for this track
     * @param transportSequence  the viewer transport's transport-cc counter, shared by its tracks; null for none
     * @param initialSequence    first output sequence number (random per RFC 3550)
     * @param initialTimestamp   first output timestamp (random per RFC 3550)
     */
    public RtpRewriter(long outSsrc, int outPayloadType, int clockRate, HeaderExtensions outExtensions, String outMid,
                       TransportWideSequence transportSequence, int initialSequence, long initialTimestamp) {
        if (outPayloadType < 0 || outPayloadType > 127) throw new IllegalArgumentException("payload type " + outPayloadType);
        if (clockRate <= 0) throw new IllegalArgumentException("clock rate " + clockRate);
        this.outSsrc = outSsrc & 0xFFFF_FFFFL;
        this.outPayloadType = outPayloadType;
        this.clockRate = clockRate;
        this.outExtensions = HeaderExtensionMap.of(outExtensions);
        this.outMid = outMid.getBytes(StandardCharsets.UTF_8);
        this.transportSequence = transportSequence;
        this.initialSequence = initialSequence & SequenceNumbers.MASK;
        this.initialTimestamp = initialTimestamp & Timestamps.MASK;
    }

    /** The publisher's extension ids, needed to know what each incoming element is. Set again on reconnect. */
    public void setInputExtensions(HeaderExtensions publisherExtensions) {
        this.inExtensions = HeaderExtensionMap.of(publisherExtensions);
    }

    public void setInputExtensions(HeaderExtensionMap publisherExtensions) { this.inExtensions = publisherExtensions; }

    /** The input starts over (new publisher stream): the next packet re-anchors, continuing the output. */
    public void rebase() {
        anchored = false;
        inSequence.reset();
        catchingUp = false;
        catchUpEndExt = Long.MIN_VALUE;
        haveHighestIn = false;
        if (catchUpFrames != null) catchUpFrames.clear();
    }

    /**
     * Starts catching up: call before the first packet of the stream (the anchor's timestamp and time become the base
     * of the send-time stamps). Ignored when already anchored. The first catch-up allocates the frame record (8 KB),
     * kept for later ones.
     */
    public void beginCatchUp() {
        if (anchored) return;
        catchingUp = true;
        if (catchUpFrames == null) catchUpFrames = new CatchUpFrames();
        catchUpFrames.clear();
    }

    /** Ends catching up: packets after the newest one rewritten so far continue at normal speed. */
    public void endCatchUp() {
        if (!catchingUp) return;
        catchingUp = false;
        if (!haveHighestIn) return;
        catchUpEndExt = highestInExt;
        timestampOffset = (highestInOutTimestamp - highestInTimestamp) & Timestamps.MASK;
    }

    public boolean isCatchingUp() { return catchingUp; }

    /**
     * The 16-bit input sequence number of the packet this rewriter sent as {@code outSequence}, or -1 when it sent no
     * such packet in the current input stream (before the anchor, after the newest, or not anchored).
     */
    public int inputSequenceFor(int outSequence) {
        if (!anchored || !sentAny) return -1;
        long outExt = highestOutSequence
                + SequenceNumbers.diff(outSequence, (int) (highestOutSequence & SequenceNumbers.MASK));
        if (outExt < firstOutSequence || outExt > highestOutSequence) return -1;
        return (int) ((outExt - sequenceOffset) & SequenceNumbers.MASK);
    }

    /**
     * Copies the packet {@code in} describes into {@code dst} at {@code dstOff} and rewrites it there. Returns false,
     * writing nothing, when the packet maps before the current anchor (stale). {@code dst} needs
     * {@code in.length()} bytes from {@code dstOff}.
     */
    public boolean rewrite(RtpHeader in, byte[] dst, int dstOff, long nowNanos) {
        long ssrc = in.ssrc();
        if (!haveInputSsrc || ssrc != inSsrc) {
            if (haveInputSsrc) rebase();
            haveInputSsrc = true;
            inSsrc = ssrc;
        }
        long extIn = inSequence.unwrap(in.sequenceNumber());
        if (!anchored) anchor(extIn, in.timestamp(), nowNanos);
        long outSeq = extIn + sequenceOffset;
        if (outSeq < firstOutSequence) return false;
        long outTs = catchingUp || extIn <= catchUpEndExt
                ? catchUpTimestamp(in.timestamp(), nowNanos)
                : (in.timestamp() + timestampOffset) & Timestamps.MASK;

        int len = in.length();
        System.arraycopy(in.buffer(), in.offset(), dst, dstOff, len);
        dst[dstOff + 1] = (byte) ((dst[dstOff + 1] & 0x80) | outPayloadType);
        BigEndian.put16(dst, dstOff + 2, (int) (outSeq & SequenceNumbers.MASK));
        BigEndian.put32(dst, dstOff + 4, outTs);
        BigEndian.put32(dst, dstOff + 8, outSsrc);
        stampedTransportCc = false;
        if (in.hasExtension()) {
            rewriteExtensions(dst, dstOff + (in.extensionOffset() - in.offset()), in.extensionLength(),
                    in.extensionProfile(), nowNanos);
        }
        outLength = len;
        outHeaderLength = in.headerLength();
        if (!stampedTransportCc && transportSequence != null) insertTransportCc(in, dst, dstOff);
        if (!haveHighestIn || extIn > highestInExt) {
            haveHighestIn = true;
            highestInExt = extIn;
            highestInTimestamp = in.timestamp();
            highestInOutTimestamp = outTs;
        }
        if (!sentAny || outSeq > highestOutSequence) {
            highestOutSequence = outSeq;
            highestOutTimestamp = outTs;
            highestOutNanos = nowNanos;
        }
        sentAny = true;
        return true;
    }

    private void anchor(long extIn, long inTimestamp, long nowNanos) {
        long startSeq;
        long startTs;
        if (!sentAny) {
            startSeq = initialSequence;
            startTs = initialTimestamp;
        } else {
            startSeq = highestOutSequence + 1;
            long gap = Math.max(0, nowNanos - highestOutNanos);
            startTs = highestOutTimestamp + Math.max(1, Timestamps.fromNanos(gap, clockRate));
        }
        sequenceOffset = startSeq - extIn;
        timestampOffset = (startTs - inTimestamp) & Timestamps.MASK;
        firstOutSequence = startSeq;
        anchored = true;
        if (catchingUp) {
            catchUpBaseOut = startTs & Timestamps.MASK;
            catchUpBaseNanos = nowNanos;
        }
    }

    /**
     * A catch-up packet's timestamp: its frame's as first sent, or, for a frame not sent yet (while catching up), the
     * send time now on the anchor's clock, one tick past the newest frame at least. A packet of a frame the record
     * no longer holds (it holds {@link CatchUpFrames#CAPACITY} frames) goes out at the newest frame's timestamp.
     */
    private long catchUpTimestamp(long inTimestamp, long nowNanos) {
        long known = catchUpFrames.outFor(inTimestamp);
        if (known >= 0) return known;
        if (!catchingUp || !catchUpFrames.isNewer(inTimestamp)) return catchUpFrames.newestOut(catchUpBaseOut);
        long sinceAnchor = Timestamps.fromNanos(Math.max(0, nowNanos - catchUpBaseNanos), clockRate);
        long out = (catchUpBaseOut + sinceAnchor) & Timestamps.MASK;
        if (!catchUpFrames.isEmpty() && Timestamps.diff(out, catchUpFrames.newestOut(catchUpBaseOut)) <= 0) {
            out = (catchUpFrames.newestOut(catchUpBaseOut) + 1) & Timestamps.MASK;
        }
        catchUpFrames.add(inTimestamp, out);
        return out;
    }

    private void rewriteExtensions(byte[] buf, int blockOffset, int blockLength, int profile, long nowNanos) {
        if (!cursor.reset(buf, blockOffset, blockLength, profile)) return;
        while (cursor.next()) {
            RtpExtension kind = inExtensions.kindOf(cursor.id());
            int outId = kind == null ? 0 : outExtensions.idOf(kind);
            if (outId == 0 || outId > cursor.maxId() || !rewriteValue(kind, buf, nowNanos)) {
                cursor.neutralize();
                continue;
            }
            cursor.setId(outId);
        }
    }

    /** Adjusts a kept element's value; false when the element must go instead. */
    private boolean rewriteValue(RtpExtension kind, byte[] buf, long nowNanos) {
        switch (kind) {
            case MID:
                return cursor.replaceData(outMid);
            case RID:
            case REPAIRED_RID:
                return false;
            case TRANSPORT_CC:
                if (transportSequence == null || cursor.dataLength() < 2) return false;
                BigEndian.put16(buf, cursor.dataOffset(), transportSequence.next());
                stampedTransportCc = true;
                return true;
            case ABS_SEND_TIME:
                if (cursor.dataLength() < 3) return false;
                BigEndian.put24(buf, cursor.dataOffset(), AbsSendTime.fromNanos(nowNanos));
                return true;
            case AUDIO_LEVEL:
            default:
                return true;
        }
    }

    /**
     * Adds the viewer's transport-cc element to a packet that came without one: at the end of an RFC 8285 block (one
     * word more), or as a new one-byte block after the CSRCs. Skipped when the id does not fit the block's form or the
     * buffer lacks room (the packet then goes without, as before).
     */
    private void insertTransportCc(RtpHeader in, byte[] dst, int dstOff) {
        int id = outExtensions.idOf(RtpExtension.TRANSPORT_CC);
        if (id <= 0) return;
        int len = outLength;
        if (!in.hasExtension()) {
            if (id > 14 || dst.length - dstOff - len - 8 < TAIL_RESERVE) return;
            int pos = dstOff + RtpHeader.FIXED_HEADER_LENGTH + 4 * in.csrcCount();
            System.arraycopy(dst, pos, dst, pos + 8, dstOff + len - pos);
            dst[dstOff] |= 0x10;
            BigEndian.put16(dst, pos, 0xBEDE);
            BigEndian.put16(dst, pos + 2, 1);
            dst[pos + 4] = (byte) (id << 4 | 1);
            BigEndian.put16(dst, pos + 5, transportSequence.next());
            dst[pos + 7] = 0;
            outLength = len + 8;
            outHeaderLength += 8;
            return;
        }
        int profile = in.extensionProfile();
        boolean oneByte = profile == 0xBEDE;
        boolean twoByte = (profile & 0xFFF0) == 0x1000;
        if (!oneByte && !twoByte || oneByte && id > 14 || dst.length - dstOff - len - 4 < TAIL_RESERVE) return;
        int dataStart = dstOff + (in.extensionOffset() - in.offset());
        int blockEnd = dataStart + in.extensionLength();
        System.arraycopy(dst, blockEnd, dst, blockEnd + 4, dstOff + len - blockEnd);
        int seq = transportSequence.next();
        if (oneByte) {
            dst[blockEnd] = (byte) (id << 4 | 1);
            BigEndian.put16(dst, blockEnd + 1, seq);
            dst[blockEnd + 3] = 0;
        } else {
            dst[blockEnd] = (byte) id;
            dst[blockEnd + 1] = 2;
            BigEndian.put16(dst, blockEnd + 2, seq);
        }
        BigEndian.put16(dst, dataStart - 2, BigEndian.u16(dst, dataStart - 2) + 1);
        outLength = len + 4;
        outHeaderLength += 4;
    }

    /** Length of the last packet {@link #rewrite} wrote (the input's, or more when transport-cc was inserted). */
    public int outLength() { return outLength; }

    /** Header length (fixed, CSRCs, extensions) of the last packet {@link #rewrite} wrote. */
    public int outHeaderLength() { return outHeaderLength; }

    /** True once anchored on the current input stream (false right after {@link #rebase()}). */
    public boolean isAnchored() { return anchored; }

    /** The input SSRC the rewriter follows, -1 before any packet. */
    public long inputSsrc() { return haveInputSsrc ? inSsrc : -1; }

    public long outSsrc() { return outSsrc; }

    public int outPayloadType() { return outPayloadType; }

    public int clockRate() { return clockRate; }

    public boolean hasSent() { return sentAny; }

    /** Extended output sequence number of the newest packet sent. */
    public long highestOutSequence() { return highestOutSequence; }

    public long highestOutTimestamp() { return highestOutTimestamp; }

    /** Input timestamp mapped into the output timeline (meaningful while {@link #isAnchored()}). */
    public long mapTimestamp(long inTimestamp) { return (inTimestamp + timestampOffset) & Timestamps.MASK; }

    /** The output timestamp "now", extrapolated from the newest packet sent at the clock rate. */
    public long extrapolateTimestamp(long nowNanos) {
        if (!sentAny) return initialTimestamp;
        return (highestOutTimestamp + Timestamps.fromNanos(nowNanos - highestOutNanos, clockRate)) & Timestamps.MASK;
    }
}
