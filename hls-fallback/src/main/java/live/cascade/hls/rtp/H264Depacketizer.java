package live.cascade.hls.rtp;

import live.cascade.sfu.params.MediaKind;

import java.util.Arrays;
import java.util.function.Consumer;

/**
 * H.264 over RTP (RFC 6184, packetization-mode 0 and 1) back to Annex B access units: single NAL unit packets, STAP-A
 * aggregates and FU-A fragments. One access unit is every NAL unit of one RTP timestamp; it ends with the marker bit or
 * when a packet of the next timestamp arrives (the marker may be lost).
 *
 * <p>OBS sends SPS and PPS in packets of their own and splits IDR pictures into several slices: all of them share the
 * picture's timestamp, so they land in one access unit. Parameter sets are also remembered and put in front of an IDR
 * that arrives without them, so every keyframe can start a segment or a decoder on its own. An access unit holding
 * only parameter sets (no picture) is not emitted.
 */
public final class H264Depacketizer implements Depacketizer {
    private static final int MAX_ACCESS_UNIT = 8 << 20;
    private static final byte[] START_CODE = {0, 0, 0, 1};
    static final int NAL_SLICE = 1;
    static final int NAL_IDR = 5;
    static final int NAL_SPS = 7;
    static final int NAL_PPS = 8;
    private static final int STAP_A = 24;
    private static final int FU_A = 28;

    private Consumer<EncodedFrame> output = f -> {};
    private byte[] unit = new byte[64 * 1024];
    private int length;
    private boolean inUnit;
    private long timestamp;
    private long arrival;
    private boolean damaged;
    private boolean fragmentOpen;
    private boolean hasIdr;
    private boolean hasSlice;
    private boolean hasSps;
    private boolean hasPps;
    private byte[] sps;
    private byte[] pps;
    private long dropped;

    @Override
    public void setOutput(Consumer<EncodedFrame> output) { this.output = output; }

    @Override
    public void onPayload(byte[] b, int off, int len, long ts, boolean marker, long arrivalNanos) {
        if (inUnit && ts != timestamp) finishUnit();
        if (!inUnit) begin(ts);
        arrival = arrivalNanos;
        if (len < 1) {
            damaged = true;
        } else {
            int type = b[off] & 0x1F;
            if (type >= 1 && type <= 23) {
                closeOpenFragment();
                appendNal(b, off, len);
            } else if (type == STAP_A) {
                closeOpenFragment();
                stapA(b, off + 1, len - 1);
            } else if (type == FU_A) {
                fuA(b, off, len);
            } else {
                damaged = true; // STAP-B, MTAP, FU-B: only for interleaved mode, which WebRTC never negotiates
            }
        }
        if (marker) finishUnit();
    }

    private void begin(long ts) {
        inUnit = true;
        timestamp = ts;
        length = 0;
        damaged = false;
        fragmentOpen = false;
        hasIdr = hasSlice = hasSps = hasPps = false;
    }

    private void stapA(byte[] b, int pos, int len) {
        int end = pos + len;
        while (end - pos >= 2) {
            int size = ((b[pos] & 0xFF) << 8) | (b[pos + 1] & 0xFF);
            pos += 2;
            if (size == 0 || size > end - pos) {
                damaged = true;
                return;
            }
            appendNal(b, pos, size);
            pos += size;
        }
        if (pos != end) damaged = true;
    }

    private void fuA(byte[] b, int off, int len) {
        if (len < 2) {
            damaged = true;
            return;
        }
        int indicator = b[off] & 0xFF;
        int header = b[off + 1] & 0xFF;
        boolean start = (header & 0x80) != 0;
        boolean end = (header & 0x40) != 0;
        if (start) {
            closeOpenFragment();
            int nal = (indicator & 0xE0) | (header & 0x1F);
            append(START_CODE, 0, 4);
            int at = length;
            append(new byte[]{(byte) nal}, 0, 1);
            noteNal(nal & 0x1F, at);
            fragmentOpen = true;
        } else if (!fragmentOpen) {
            damaged = true; // the start of this NAL unit was lost
            return;
        }
        append(b, off + 2, len - 2);
        if (end) {
            fragmentOpen = false;
            rememberParameterSetAtEnd();
        }
    }

    private void closeOpenFragment() {
        if (fragmentOpen) {
            damaged = true; // a fragmented NAL unit never got its end
            fragmentOpen = false;
        }
    }

    private int lastNalStart = -1;
    private int lastNalType;

    private void appendNal(byte[] b, int off, int len) {
        append(START_CODE, 0, 4);
        int at = length;
        append(b, off, len);
        noteNal(b[off] & 0x1F, at);
        rememberParameterSetAtEnd();
    }

    private void noteNal(int type, int at) {
        lastNalStart = at;
        lastNalType = type;
        switch (type) {
            case NAL_IDR -> {
                hasIdr = true;
                hasSlice = true;
            }
            case NAL_SPS -> hasSps = true;
            case NAL_PPS -> hasPps = true;
            default -> {
                if (type >= NAL_SLICE && type <= NAL_IDR) hasSlice = true;
            }
        }
    }

    /** After a complete SPS or PPS NAL unit was appended, keep a copy for IDRs that come without one. */
    private void rememberParameterSetAtEnd() {
        if (lastNalStart < 0 || damaged) return;
        if (lastNalType == NAL_SPS) sps = Arrays.copyOfRange(unit, lastNalStart, length);
        else if (lastNalType == NAL_PPS) pps = Arrays.copyOfRange(unit, lastNalStart, length);
    }

    private void append(byte[] b, int off, int len) {
        if (length + len > MAX_ACCESS_UNIT) {
            damaged = true;
            return;
        }
        if (length + len > unit.length) unit = Arrays.copyOf(unit, Math.max(unit.length * 2, length + len));
        System.arraycopy(b, off, unit, length, len);
        length += len;
    }

    private void finishUnit() {
        if (!inUnit) return;
        inUnit = false;
        if (fragmentOpen) damaged = true;
        if (damaged) {
            dropped++;
            return;
        }
        if (!hasSlice) return; // parameter sets alone: remembered, put in front of the next IDR
        byte[] out;
        if (hasIdr && (!hasSps || !hasPps) && sps != null && pps != null) {
            out = new byte[length + (hasSps ? 0 : 4 + sps.length) + (hasPps ? 0 : 4 + pps.length)];
            int p = 0;
            if (!hasSps) p = putNal(out, p, sps);
            if (!hasPps) p = putNal(out, p, pps);
            System.arraycopy(unit, 0, out, p, length);
        } else {
            out = Arrays.copyOf(unit, length);
        }
        boolean keyframe = hasIdr && (hasSps || sps != null) && (hasPps || pps != null);
        output.accept(new EncodedFrame(MediaKind.VIDEO, out, timestamp, keyframe, arrival));
    }

    private static int putNal(byte[] out, int p, byte[] nal) {
        System.arraycopy(START_CODE, 0, out, p, 4);
        System.arraycopy(nal, 0, out, p + 4, nal.length);
        return p + 4 + nal.length;
    }

    @Override
    public void onLoss() {
        if (inUnit) damaged = true;
        // A loss between two timestamps damages the next unit's start only if it arrives as an FU-A middle; that
        // case marks itself damaged. A lost whole single-NAL packet of a new unit cannot be told apart: the decoder
        // conceals it and the tap asks the publisher for a keyframe.
    }

    @Override
    public void flush() {
        if (inUnit && !fragmentOpen) finishUnit();
        inUnit = false;
        fragmentOpen = false;
    }

    /** Forgets the parameter sets too (a new publisher may use other ones). */
    public void reset() {
        inUnit = false;
        fragmentOpen = false;
        sps = pps = null;
    }

    @Override
    public long droppedFrames() { return dropped; }

    /**
     * The first SPS and PPS of an Annex B access unit as Annex B extradata ({@link
     * live.cascade.hls.media.StreamFormat#annexB}), or null when it lacks either. Keyframes from this depacketizer
     * always carry both.
     */
    public static byte[] parameterSets(byte[] annexB) {
        byte[] sps = null;
        byte[] pps = null;
        int n = annexB.length;
        int i = 0;
        while (i + 3 < n && (sps == null || pps == null)) {
            // find a start code (00 00 01 or 00 00 00 01)
            if (!(annexB[i] == 0 && annexB[i + 1] == 0 && annexB[i + 2] == 1)) {
                i++;
                continue;
            }
            int start = i + 3;
            int end = start;
            while (end + 2 < n && !(annexB[end] == 0 && annexB[end + 1] == 0 && (annexB[end + 2] == 1
                    || (annexB[end + 2] == 0 && end + 3 < n && annexB[end + 3] == 1)))) {
                end++;
            }
            if (end + 2 >= n) end = n;
            if (start < end) {
                int type = annexB[start] & 0x1F;
                if (type == NAL_SPS && sps == null) sps = Arrays.copyOfRange(annexB, start, end);
                else if (type == NAL_PPS && pps == null) pps = Arrays.copyOfRange(annexB, start, end);
            }
            i = end;
        }
        return sps == null || pps == null ? null : live.cascade.hls.media.StreamFormat.annexB(sps, pps);
    }

    /** The latest sequence parameter set (NAL unit without start code), or null. */
    public byte[] sps() { return sps == null ? null : sps.clone(); }

    /** The latest picture parameter set (NAL unit without start code), or null. */
    public byte[] pps() { return pps == null ? null : pps.clone(); }
}
