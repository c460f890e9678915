package live.cascade.ingest.ts;

import com.sun.jna.Memory;
import com.sun.jna.Pointer;

/**
 * Lets the demuxer hand out a video frame as soon as its last byte is in (issue 23). Encoders write video PES packets
 * with no length (PES_packet_length 0, allowed for video only), and a demuxer can then end one only when the next
 * starts on the same PID: every frame would leave the node a frame (33 ms at 30 fps) after it arrived. But the
 * next PES must begin a new TS packet, so the last packet of one is topped up with adaptation-field stuffing unless
 * it happens to fill the 184 bytes exactly. This source sits between the byte source and FFmpeg: it holds back the
 * packets of an open video PES until one with stuffing ends it, writes the PES's length into its header, and only
 * then passes it on, so FFmpeg's demuxer sees a PES of known length and emits it with its last packet. The other
 * PIDs pass straight through (TS demuxing is per PID, so holding one back reorders nothing that matters). A PES that
 * is not ended so (no stuffing, over 65,535 bytes, or the stream losing sync) passes on unchanged, one frame later
 * as before; so do all PES packets after a muxer is seen stuffing a packet in the middle of one (its next packet
 * continued the PES just closed: that one frame is cut short).
 *
 * <p>One per publish, on its thread; fixed buffers, nothing allocated per packet.
 */
final class PesCloser implements TsDemuxer.Source {
    private static final int TS = 188;
    /** The largest PES whose length fits its 16-bit field: 6 header bytes plus 65,535. */
    private static final int MAX_PES = 6 + 0xFFFF;
    private static final int SCRATCH = 64 * TS;

    private final TsDemuxer.Source upstream;
    private final Memory scratch = new Memory(SCRATCH);
    private final byte[] in = new byte[SCRATCH + TS];
    private int inLength;
    /** Whole packets ready for the demuxer: out[outStart, outEnd). */
    private final byte[] out = new byte[4 * MAX_PES];
    private int outStart, outEnd;
    /** The open video PES held back: its packets, its PID (-1: none), its PES bytes so far. */
    private final byte[] held = new byte[(MAX_PES / 184 + 2) * TS];
    private int heldLength, heldPid = -1, pesBytes;
    /** The PID of the PES just closed here: its next packet must start a new PES, or the stuffing was not its end. */
    private int closedPid = -1;
    /** False once a muxer stuffed a packet inside a PES: from then on PES packets pass on unchanged, as before. */
    private boolean closing = true;
    private boolean lostSync, ended;

    PesCloser(TsDemuxer.Source upstream) {
        this.upstream = upstream;
    }

    @Override
    public int read(long address, int capacity) {
        while (outEnd == outStart) {
            if (ended) return 0;
            int n = upstream.read(Pointer.nativeValue(scratch), SCRATCH);
            if (n <= 0) {
                ended = true;
                release(false); // the last frame still goes out
                if (outEnd == outStart) return n;
                break;
            }
            take(n);
        }
        int n = Math.min(capacity, outEnd - outStart);
        new Pointer(address).write(0, out, outStart, n);
        outStart += n;
        if (outStart == outEnd) outStart = outEnd = 0;
        return n;
    }

    private void take(int n) {
        scratch.read(0, in, inLength, n);
        inLength += n;
        int p = 0;
        if (lostSync) {
            emit(in, 0, inLength);
            inLength = 0;
            return;
        }
        for (; p + TS <= inLength; p += TS) {
            if (in[p] != 0x47) {
                // Not 188-byte packets (or garbage): pass everything on as it comes; FFmpeg resyncs by itself.
                lostSync = true;
                release(false);
                emit(in, p, inLength - p);
                inLength = 0;
                return;
            }
            packet(p);
        }
        System.arraycopy(in, p, in, 0, inLength - p);
        inLength -= p;
    }

    /** One TS packet at in[p]. */
    private void packet(int p) {
        int pid = ((in[p + 1] & 0x1F) << 8) | (in[p + 2] & 0xFF);
        boolean start = (in[p + 1] & 0x40) != 0;
        int payload = payloadOffset(p);
        int payloadBytes = payload < 0 ? 0 : TS - payload;
        if (pid == closedPid && payloadBytes > 0) {
            // A muxer that stuffs inside a PES: the frame just closed was cut short (FFmpeg drops the rest up to the
            // next start); one frame is lost, and none after it.
            if (!start) closing = false;
            closedPid = -1;
        }
        if (pid == heldPid) {
            if (start) {
                release(false); // ended by the next one after all: as FFmpeg would have
            } else {
                add(p, payloadBytes);
                if (pesBytes > MAX_PES || heldLength + TS > held.length) release(false);
                else if (stuffed(p)) release(true);
                return;
            }
        }
        if (closing && start && heldPid < 0 && payloadBytes >= 6 && openVideoPes(p + payload)) {
            heldPid = pid;
            heldLength = 0;
            pesBytes = 0;
            add(p, payloadBytes);
            if (stuffed(p)) release(true);
            return;
        }
        emit(in, p, TS);
    }

    private void add(int p, int payloadBytes) {
        System.arraycopy(in, p, held, heldLength, TS);
        heldLength += TS;
        pesBytes += payloadBytes;
    }

    /** Passes the held PES on, with its length written in when {@code complete} and it fits. */
    private void release(boolean complete) {
        if (heldPid < 0) return;
        if (complete && pesBytes >= 6 && pesBytes <= MAX_PES) {
            int at = payloadOffset(held, 0) + 4;
            int length = pesBytes - 6;
            held[at] = (byte) (length >>> 8);
            held[at + 1] = (byte) length;
            closedPid = heldPid;
        }
        emit(held, 0, heldLength);
        heldPid = -1;
        heldLength = 0;
    }

    private void emit(byte[] from, int offset, int length) {
        if (outEnd + length > out.length) {
            System.arraycopy(out, outStart, out, 0, outEnd - outStart);
            outEnd -= outStart;
            outStart = 0;
        }
        System.arraycopy(from, offset, out, outEnd, length);
        outEnd += length;
    }

    private int payloadOffset(int p) {
        return payloadOffset(in, p);
    }

    /** Where the payload of the packet at b[p] starts, relative to p; -1 when it has none. */
    static int payloadOffset(byte[] b, int p) {
        int control = (b[p + 3] >> 4) & 3;
        if ((control & 1) == 0) return -1;
        if ((control & 2) == 0) return 4;
        int offset = 5 + (b[p + 4] & 0xFF);
        return offset < TS ? offset : -1;
    }

    /** A video PES (stream_id 0xE0–0xEF) that gives no length, at in[q]. */
    private boolean openVideoPes(int q) {
        return in[q] == 0 && in[q + 1] == 0 && in[q + 2] == 1 && (in[q + 3] & 0xF0) == 0xE0 && in[q + 4] == 0 && in[q + 5] == 0;
    }

    /** Whether the packet at in[p] carries stuffing in its adaptation field: the last packet of a PES. */
    private boolean stuffed(int p) {
        if ((in[p + 3] & 0x20) == 0) return false;
        int length = in[p + 4] & 0xFF;
        if (length == 0) return true; // an empty adaptation field is itself one byte of stuffing
        int flags = in[p + 5] & 0xFF;
        int used = 1;
        if ((flags & 0x10) != 0) used += 6; // PCR
        if ((flags & 0x08) != 0) used += 6; // OPCR
        if ((flags & 0x04) != 0) used += 1; // splice countdown
        if ((flags & 0x02) != 0 && used < length) used += 1 + (in[p + 5 + used] & 0xFF); // private data
        if ((flags & 0x01) != 0 && used < length) used += 1 + (in[p + 5 + used] & 0xFF); // extension
        return length > used;
    }
}
