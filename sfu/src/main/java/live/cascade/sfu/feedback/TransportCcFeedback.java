package live.cascade.sfu.feedback;

import live.cascade.sfu.rtcp.RtcpTypes;
import live.cascade.sfu.rtp.BigEndian;
import live.cascade.sfu.rtp.SequenceNumbers;
import live.cascade.sfu.rtp.SequenceUnwrapper;

/**
 * The receive side of transport-wide congestion control (draft-holmer-rmcat-transport-wide-cc-extensions-01): it
 * records when each transport-wide sequence number of one incoming transport arrived and writes the RTCP feedback
 * (RTPFB fmt 15) that lets the sender's delay-based estimator work. Without it a WebRTC sender that negotiated
 * transport-cc never leaves its start bitrate.
 *
 * <h2>State</h2>
 * Arrival times live in a ring indexed by the extended (unwrapped) sequence number, covering the packets not yet
 * reported, {@code [nextBase, highest]}. Each {@link #write} reports a prefix of that window and clears it, so a
 * feedback never repeats a packet and every received packet is reported once. A packet older than the window (already
 * reported past it) is counted as late and not reported; libwebrtc senders treat it as lost, which is what it was for
 * congestion purposes. A jump of more than the ring's size abandons the old window.
 *
 * <h2>Encoding</h2>
 * Times are kept in the feedback's own unit, 250 µs ticks from any monotonic origin; the reference time is the first
 * reported packet's arrival floored to 64 ms (256 ticks). Every delta is the exact tick difference to the previous
 * received packet, so no rounding error accumulates. Deltas 0..255 are "small" (1 byte), others "large" (2 bytes,
 * signed); a delta beyond ±32767 ticks (8 s) cannot be expressed, so the feedback ends before that packet and the
 * next one starts with a new reference time. Status chunks: a run-length chunk for runs of 14 or more equal symbols,
 * otherwise a one-bit status vector (14 symbols) when no large delta is among the next 14, else a two-bit vector (7).
 * Each feedback ends on a received packet and stays within {@link #MAX_FEEDBACK_BYTES}.
 *
 * <p>Allocation-free after construction; one instance per publisher transport, confined to its worker thread.
 */
public final class TransportCcFeedback {
    /** Packets the window can hold; a power of two. At 5,000 packets/s that is 1.6 s between feedbacks. */
    public static final int CAPACITY = 1 << 13;
    /** Upper bound of one feedback packet (header and padding included), well inside any MTU. */
    public static final int MAX_FEEDBACK_BYTES = 1200;
    /** Header (4), sender and media SSRC (8), base, count, reference time, feedback count (8). */
    public static final int FIXED_LENGTH = 20;
    public static final long TICK_NANOS = 250_000L;
    public static final int TICKS_PER_REFERENCE = 256;

    private static final int MASK = CAPACITY - 1;
    private static final long NOT_RECEIVED = Long.MIN_VALUE;
    private static final int MAX_RUN = 8191;
    private static final int MAX_STATUS_COUNT = CAPACITY;
    /** Receive deltas per feedback: with the chunks this keeps a feedback near {@link #MAX_FEEDBACK_BYTES}. */
    private static final int MAX_DELTA_BYTES = 800;

    private final long[] arrivalTicks = new long[CAPACITY];
    private final SequenceUnwrapper unwrapper = new SequenceUnwrapper();
    private final byte[] symbols = new byte[MAX_STATUS_COUNT];
    private final short[] deltas = new short[MAX_STATUS_COUNT];

    private boolean started;
    private boolean reportedAny;
    private long nextBase;
    private long highest;
    private int pending;
    private int feedbackCount;

    private long packetsRecorded;
    private long latePackets;
    private long feedbacksWritten;
    private long packetsReportedLost;
    private long packetsReported;

    public TransportCcFeedback() { clearRing(); }

    /** Forgets everything (a new publisher transport). */
    public void reset() {
        clearRing();
        unwrapper.reset();
        started = reportedAny = false;
        nextBase = highest = 0;
        pending = 0;
        feedbackCount = 0;
    }

    private void clearRing() { java.util.Arrays.fill(arrivalTicks, NOT_RECEIVED); }

    /** Records the arrival of the packet carrying transport-wide sequence number {@code sequence}. */
    public void onPacket(int sequence, long arrivalNanos) {
        long ext = unwrapper.unwrap(sequence);
        long ticks = Math.floorDiv(arrivalNanos, TICK_NANOS);
        packetsRecorded++;
        if (!started) {
            started = true;
            nextBase = highest = ext;
        }
        if (ext < nextBase) {
            // Before the first feedback the window may still grow backwards (the very first packets reordered).
            if (reportedAny || highest - ext >= CAPACITY) {
                latePackets++;
                return;
            }
            nextBase = ext;
        }
        if (ext - nextBase >= CAPACITY) {
            // More than a ring behind: what was pending is too old to matter to the sender's estimator.
            clearRing();
            pending = 0;
            nextBase = ext;
        }
        int slot = (int) (ext & MASK);
        if (arrivalTicks[slot] != NOT_RECEIVED) return; // duplicate: the first arrival counts
        arrivalTicks[slot] = ticks;
        pending++;
        if (ext > highest) highest = ext;
    }

    /** True when received packets wait to be reported. */
    public boolean hasPending() { return pending > 0; }

    /**
     * Writes one feedback packet for the oldest unreported packets into {@code buf} at {@code off} and marks them
     * reported. Returns its length, or 0 when nothing is pending. {@code buf} needs {@link #MAX_FEEDBACK_BYTES} from
     * {@code off}. Call again while {@link #hasPending()} to report a backlog.
     */
    public int write(byte[] buf, int off, long senderSsrc, long mediaSsrc) {
        if (pending == 0) return 0;
        java.util.Objects.checkFromIndexSize(off, MAX_FEEDBACK_BYTES, buf.length);
        long first = nextBase;
        while (arrivalTicks[(int) (first & MASK)] == NOT_RECEIVED) first++;
        long referenceTime = Math.floorDiv(arrivalTicks[(int) (first & MASK)], TICKS_PER_REFERENCE);
        long previous = referenceTime * TICKS_PER_REFERENCE;

        // Choose the packets: statuses from nextBase up to the last received packet whose delta can be expressed.
        int count = 0;
        int included = 0;
        int receivedIncluded = 0;
        int received = 0;
        int deltaBytes = 0;
        int includedDeltaBytes = 0;
        for (long e = nextBase; e <= highest && count < MAX_STATUS_COUNT; e++) {
            long a = arrivalTicks[(int) (e & MASK)];
            if (a == NOT_RECEIVED) {
                symbols[count++] = 0;
                continue;
            }
            long d = a - previous;
            if (d < Short.MIN_VALUE || d > Short.MAX_VALUE) break;
            int size = d >= 0 && d <= 255 ? 1 : 2;
            if (deltaBytes + size > MAX_DELTA_BYTES) break;
            symbols[count] = (byte) size;
            deltas[count] = (short) d;
            count++;
            received++;
            deltaBytes += size;
            previous = a;
            included = count;
            receivedIncluded = received;
            includedDeltaBytes = deltaBytes;
        }
        // included >= 1: the first received packet always fits (its delta is 0..255 ticks). Statuses that alternate
        // badly can make the chunks large; then report fewer packets (rare: halve until it fits).
        while (FIXED_LENGTH + chunkBytes(included) + includedDeltaBytes + 3 > MAX_FEEDBACK_BYTES) {
            int keep = Math.max(1, receivedIncluded / 2);
            int seen = 0;
            int bytes = 0;
            int i = 0;
            for (; i < included; i++) {
                if (symbols[i] != 0) {
                    seen++;
                    bytes += symbols[i];
                    if (seen == keep) break;
                }
            }
            included = i + 1;
            receivedIncluded = keep;
            includedDeltaBytes = bytes;
        }
        int pos = off + FIXED_LENGTH;
        pos = writeChunks(buf, pos, included);
        for (int i = 0; i < included; i++) {
            if (symbols[i] == 1) {
                buf[pos++] = (byte) deltas[i];
            } else if (symbols[i] == 2) {
                BigEndian.put16(buf, pos, deltas[i]);
                pos += 2;
            }
        }
        int unpadded = pos - off;
        int total = (unpadded + 3) & ~3;
        int padding = total - unpadded;
        for (int i = 0; i < padding; i++) buf[pos + i] = 0;
        // RFC 3550 padding: the last byte counts the padding bytes, the P bit says it is there.
        if (padding > 0) buf[off + total - 1] = (byte) padding;
        buf[off] = (byte) (0x80 | (padding > 0 ? 0x20 : 0) | RtcpTypes.FMT_TRANSPORT_CC);
        buf[off + 1] = (byte) RtcpTypes.RTPFB;
        BigEndian.put16(buf, off + 2, total / 4 - 1);
        BigEndian.put32(buf, off + 4, senderSsrc);
        BigEndian.put32(buf, off + 8, mediaSsrc);
        BigEndian.put16(buf, off + 12, (int) (nextBase & SequenceNumbers.MASK));
        BigEndian.put16(buf, off + 14, included);
        BigEndian.put24(buf, off + 16, (int) (referenceTime & 0xFF_FFFF));
        buf[off + 19] = (byte) feedbackCount;

        for (long e = nextBase, end = nextBase + included; e < end; e++) arrivalTicks[(int) (e & MASK)] = NOT_RECEIVED;
        packetsReportedLost += included - receivedIncluded;
        packetsReported += included;
        nextBase += included;
        pending -= receivedIncluded;
        feedbackCount = (feedbackCount + 1) & 0xFF;
        reportedAny = true;
        feedbacksWritten++;
        return total;
    }

    /** Bytes {@link #writeChunks} will use for the first {@code count} statuses. */
    private int chunkBytes(int count) { return encodeChunks(null, 0, count); }

    private int writeChunks(byte[] buf, int pos, int count) { return pos + encodeChunks(buf, pos, count); }

    /** Encodes the status chunks of the first {@code count} symbols at {@code pos} ({@code buf} null: count only). */
    private int encodeChunks(byte[] buf, int pos, int count) {
        int start = pos;
        int i = 0;
        while (i < count) {
            int s = symbols[i];
            int run = 1;
            while (i + run < count && symbols[i + run] == s && run < MAX_RUN) run++;
            int chunk;
            if (run >= 14) {
                chunk = s << 13 | run;
                i += run;
            } else {
                int n = Math.min(14, count - i);
                boolean small = true;
                for (int k = 0; k < n; k++) if (symbols[i + k] > 1) { small = false; break; }
                if (small) {
                    chunk = 0x8000;
                    for (int k = 0; k < n; k++) chunk |= symbols[i + k] << (13 - k);
                } else {
                    n = Math.min(7, count - i);
                    chunk = 0xC000;
                    for (int k = 0; k < n; k++) chunk |= symbols[i + k] << (12 - 2 * k);
                }
                i += n;
            }
            if (buf != null) BigEndian.put16(buf, pos, chunk);
            pos += 2;
        }
        return pos - start;
    }

    public long packetsRecorded() { return packetsRecorded; }

    /** Packets that arrived after the feedback covering their sequence number had gone. */
    public long latePackets() { return latePackets; }

    public long feedbacksWritten() { return feedbacksWritten; }

    /** Statuses written as "not received", over every feedback since construction. */
    public long packetsReportedLost() { return packetsReportedLost; }

    /** Statuses written, received or not, over every feedback since construction. */
    public long packetsReported() { return packetsReported; }
}
