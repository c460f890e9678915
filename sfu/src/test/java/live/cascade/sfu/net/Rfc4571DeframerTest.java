package live.cascade.sfu.net;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class Rfc4571DeframerTest {
    private final List<String> events = new ArrayList<>();
    private final Rfc4571Deframer.Frames sink = new Rfc4571Deframer.Frames() {
        @Override public void frame(byte[] buf, int len) { events.add("frame " + Arrays.toString(Arrays.copyOf(buf, len))); }
        @Override public void oversized(int len) { events.add("oversized " + len); }
        @Override public void empty() { events.add("empty"); }
    };

    private static ByteBuf framed(int... payloadLengths) {
        ByteBuf b = Unpooled.buffer();
        byte next = 1;
        for (int len : payloadLengths) {
            b.writeShort(len);
            for (int i = 0; i < len; i++) b.writeByte(next++);
        }
        return b;
    }

    @Test
    void wholeFramesInOneReadComeOutInOrder() {
        Rfc4571Deframer d = new Rfc4571Deframer(100);
        d.feed(framed(2, 3), sink);
        assertThat(events).containsExactly("frame [1, 2]", "frame [3, 4, 5]");
        assertThat(d.atBoundary()).isTrue();
    }

    @Test
    void aFrameSplitAtEveryByteIncludingInsideItsLengthIsReassembled() {
        ByteBuf all = framed(5, 1);
        Rfc4571Deframer d = new Rfc4571Deframer(100);
        while (all.isReadable()) {
            d.feed(all.readSlice(1), sink);
            if (events.isEmpty()) assertThat(all.isReadable()).isTrue();
        }
        assertThat(events).containsExactly("frame [1, 2, 3, 4, 5]", "frame [6]");
    }

    @Test
    void aPartialFrameWaitsForTheRest() {
        ByteBuf all = framed(4);
        Rfc4571Deframer d = new Rfc4571Deframer(100);
        d.feed(all.readSlice(3), sink);
        assertThat(events).isEmpty();
        assertThat(d.atBoundary()).isFalse();
        d.feed(all, sink);
        assertThat(events).containsExactly("frame [1, 2, 3, 4]");
    }

    @Test
    void anOversizedFrameIsSkippedAndTheStreamStaysInSync() {
        Rfc4571Deframer d = new Rfc4571Deframer(8);
        ByteBuf all = framed(2, 9, 1);
        // Delivered in awkward pieces, so the skip itself spans reads.
        d.feed(all.readSlice(6), sink);
        d.feed(all.readSlice(5), sink);
        d.feed(all, sink);
        assertThat(events).containsExactly("frame [1, 2]", "oversized 9", "frame [12]");
    }

    @Test
    void emptyFramesAreReportedAndDoNotDesync() {
        Rfc4571Deframer d = new Rfc4571Deframer(8);
        d.feed(framed(0, 1, 0), sink);
        assertThat(events).containsExactly("empty", "frame [1]", "empty");
    }

    @Test
    void garbageNeverThrowsAndEveryByteIsAccountedFor() {
        Random random = new Random(4571);
        Rfc4571Deframer d = new Rfc4571Deframer(2048);
        long framedBytes = 0;
        int[] counts = new int[3];
        Rfc4571Deframer.Frames counting = new Rfc4571Deframer.Frames() {
            @Override public void frame(byte[] buf, int len) { counts[0] += len + 2; }
            @Override public void oversized(int len) { counts[1] += len + 2; }
            @Override public void empty() { counts[2] += 2; }
        };
        for (int i = 0; i < 2000; i++) {
            byte[] chunk = new byte[random.nextInt(3000)];
            random.nextBytes(chunk);
            framedBytes += chunk.length;
            d.feed(Unpooled.wrappedBuffer(chunk), counting);
        }
        long consumed = (long) counts[0] + counts[1] + counts[2];
        // Oversized frames are reported (with their whole length) when their header is read, before they are skipped;
        // so the bytes accounted for and the bytes fed differ by at most the one frame still open.
        assertThat(framedBytes - consumed).isBetween(-65537L, 65537L);
        assertThat(counts[0]).isPositive();
        assertThat(counts[1]).isPositive();
    }

    @Test
    void theHeaderIsTheLengthBigEndian() {
        ByteBuf out = Unpooled.buffer();
        Rfc4571Deframer.writeHeader(out, 0x1234);
        assertThat(out.readUnsignedShort()).isEqualTo(0x1234);
    }
}
