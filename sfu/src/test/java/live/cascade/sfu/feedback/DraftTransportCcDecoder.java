package live.cascade.sfu.feedback;

import java.util.ArrayList;
import java.util.List;
import live.cascade.sfu.rtcp.RtcpTransportCc;

/**
 * A transport-cc feedback decoder written from draft-holmer-rmcat-transport-wide-cc-extensions-01 §3.1 alone, so that
 * tests judge {@link TransportCcFeedback}'s output by the format and not by our own parser ({@link RtcpTransportCc}).
 * It reads the way libwebrtc's sender does: the reference time as a 24-bit count of 64 ms, each receive delta in
 * 250 µs units added to the previous received packet's time (the first one to the reference time), a small delta
 * unsigned in one byte, a large one signed in two; statuses past the packet status count in the last chunk are
 * ignored. It throws on anything the draft does not allow, so a malformed feedback fails the test that wrote it.
 */
final class DraftTransportCcDecoder {
    private DraftTransportCcDecoder() {}

    /** Per packet: its transport-wide sequence number and arrival in 250 µs ticks since reference time 0, or lost. */
    record Status(int sequence, boolean received, long arrivalTicks) {}

    record Feedback(long senderSsrc, long mediaSsrc, int baseSequence, int statusCount, int referenceTime,
                    int feedbackCount, List<Status> statuses, int length) {
        long receivedCount() { return statuses.stream().filter(Status::received).count(); }

        long lostCount() { return statuses.size() - receivedCount(); }
    }

    static Feedback decode(byte[] b, int off, int len) {
        if (len < 20 || len % 4 != 0) throw new IllegalArgumentException("length " + len);
        int v = (b[off] & 0xFF) >>> 6;
        boolean padded = (b[off] & 0x20) != 0;
        int fmt = b[off] & 0x1F;
        int pt = b[off + 1] & 0xFF;
        int words = u16(b, off + 2);
        if (v != 2 || fmt != 15 || pt != 205) throw new IllegalArgumentException("not transport-cc: v" + v + " fmt " + fmt + " pt " + pt);
        if ((words + 1) * 4 != len) throw new IllegalArgumentException("length field " + words + " for " + len + " bytes");
        int end = off + len;
        if (padded) {
            int pad = b[end - 1] & 0xFF;
            if (pad == 0 || pad > len - 20) throw new IllegalArgumentException("padding " + pad);
            end -= pad;
        }
        long sender = u32(b, off + 4);
        long media = u32(b, off + 8);
        int base = u16(b, off + 12);
        int count = u16(b, off + 14);
        int reference = (b[off + 16] & 0xFF) << 16 | (b[off + 17] & 0xFF) << 8 | (b[off + 18] & 0xFF);
        int fbCount = b[off + 19] & 0xFF;
        if (count == 0) throw new IllegalArgumentException("a feedback reports at least one packet");

        // Symbols: 0 not received, 1 small delta, 2 large delta.
        int[] symbols = new int[count];
        int n = 0;
        int pos = off + 20;
        while (n < count) {
            if (pos + 2 > end) throw new IllegalArgumentException("status chunks run past the packet");
            int chunk = u16(b, pos);
            pos += 2;
            if ((chunk & 0x8000) == 0) {
                int symbol = (chunk >>> 13) & 3;
                int run = chunk & 0x1FFF;
                if (symbol == 3) throw new IllegalArgumentException("run of the reserved symbol");
                if (run == 0) throw new IllegalArgumentException("empty run");
                run = Math.min(run, count - n);
                for (int i = 0; i < run; i++) symbols[n++] = symbol;
            } else if ((chunk & 0x4000) == 0) {
                for (int i = 0; i < 14 && n < count; i++) symbols[n++] = (chunk >>> (13 - i)) & 1;
            } else {
                for (int i = 0; i < 7 && n < count; i++) {
                    int symbol = (chunk >>> (12 - 2 * i)) & 3;
                    if (symbol == 3) throw new IllegalArgumentException("reserved symbol in a two-bit vector");
                    symbols[n++] = symbol;
                }
            }
        }
        List<Status> statuses = new ArrayList<>(count);
        long time = (long) reference * 256;
        for (int i = 0; i < count; i++) {
            int seq = (base + i) & 0xFFFF;
            switch (symbols[i]) {
                case 0 -> statuses.add(new Status(seq, false, 0));
                case 1 -> {
                    if (pos + 1 > end) throw new IllegalArgumentException("small delta past the end");
                    time += b[pos++] & 0xFF;
                    statuses.add(new Status(seq, true, time));
                }
                default -> {
                    if (pos + 2 > end) throw new IllegalArgumentException("large delta past the end");
                    time += (short) u16(b, pos);
                    pos += 2;
                    statuses.add(new Status(seq, true, time));
                }
            }
        }
        // Between the last delta and the end only the zeros that pad the packet to 32 bits may follow.
        if (end - pos > 3) throw new IllegalArgumentException((end - pos) + " bytes after the last delta");
        return new Feedback(sender, media, base, count, reference, fbCount, statuses, len);
    }

    private static int u16(byte[] b, int i) { return (b[i] & 0xFF) << 8 | (b[i + 1] & 0xFF); }

    private static long u32(byte[] b, int i) { return (long) u16(b, i) << 16 | u16(b, i + 2); }
}
