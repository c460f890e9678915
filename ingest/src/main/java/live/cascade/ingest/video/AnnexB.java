package live.cascade.ingest.video;

import java.io.ByteArrayOutputStream;

/** H.264 byte-stream framing (ITU-T H.264 Annex B: start codes) to the length-prefixed framing FLV and MP4 use. */
final class AnnexB {
    private AnnexB() {}

    /** Every NAL unit of {@code annexB} behind a 4-byte big-endian length; empty when there is none. */
    static byte[] toLengthPrefixed(byte[] annexB) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(annexB.length + 16);
        int start = next(annexB, 0);
        while (start >= 0) {
            int from = start;
            int nextCode = next(annexB, from);
            int end = nextCode < 0 ? annexB.length : startCodeBegin(annexB, nextCode);
            // Trailing zero bytes before the next start code belong to no NAL unit.
            while (end > from && annexB[end - 1] == 0) end--;
            int n = end - from;
            if (n > 0) {
                out.write(n >>> 24);
                out.write(n >>> 16);
                out.write(n >>> 8);
                out.write(n);
                out.write(annexB, from, n);
            }
            start = nextCode;
        }
        return out.toByteArray();
    }

    /** Where the NAL unit after the first start code at or after {@code from} begins, or -1. */
    private static int next(byte[] d, int from) {
        for (int i = from; i + 2 < d.length; i++) {
            if (d[i] == 0 && d[i + 1] == 0 && d[i + 2] == 1) return i + 3;
        }
        return -1;
    }

    /** The first byte of the start code whose NAL unit begins at {@code nal} (three bytes before it). */
    private static int startCodeBegin(byte[] d, int nal) {
        return nal - 3;
    }
}
