package live.cascade.ingest.ts;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.jna.Pointer;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The TS demuxer hands a video frame out as soon as the last of its bytes has been read, without waiting for the
 * next frame to start (issue 23: that wait, plus the H.264 parser's own, held every SRT frame 66 ms at 30 fps). The
 * stream is muxed here the way encoders do it: video PES packets without a length, the last TS packet of each topped
 * up with adaptation-field stuffing, and a PCR in the adaptation field of some packets in the middle of a frame.
 */
class TsDemuxerLatencyTest {
    static final int VIDEO_PID = 0x100, PMT_PID = 0x1000;

    /** What the demuxer handed out, with the times. */
    final List<byte[]> frames = new ArrayList<>();
    final List<Long> pts = new ArrayList<>();

    @Test
    void aFrameIsHandedOutOnceItsLastPacketIsReadNotWhenTheNextStarts() {
        List<byte[]> sent = new ArrayList<>();
        List<byte[]> messages = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            byte[] frame = accessUnit(i, 1500 + 37 * i);
            sent.add(frame);
            messages.add(pes(frame, 90_000 + 3000L * i, i));
        }
        messages.set(0, concat(tables(), messages.get(0)));
        List<int[]> atReads = new ArrayList<>();
        run(messages, atReads);

        assertThat(frames).hasSize(sent.size());
        for (int i = 0; i < sent.size(); i++) {
            assertThat(frames.get(i)).as("frame %d", i).isEqualTo(sent.get(i));
            assertThat(pts.get(i)).isEqualTo(90_000 + 3000L * i);
        }
        assertThat(atReads).as("reads while the stream was live").hasSizeGreaterThan(20);
        for (int[] r : atReads) assertThat(r[1]).as("frames out once %d were read whole", r[0]).isEqualTo(r[0]);
    }

    @Test
    void aFrameThatFillsItsLastPacketExactlyStillComesOutWhole() {
        // Eight packets' payload (one of them with a PCR) less the PES header: no room left for stuffing, so the
        // frame ends only when the next one starts.
        byte[] exact = accessUnit(1, 184 * 8 - 8 - 14);
        List<byte[]> sent = List.of(accessUnit(0, 900), exact, accessUnit(2, 700), accessUnit(3, 5000));
        List<byte[]> messages = new ArrayList<>();
        for (int i = 0; i < sent.size(); i++) messages.add(pes(sent.get(i), 90_000 + 3000L * i, i));
        messages.set(0, concat(tables(), messages.get(0)));
        run(messages, new ArrayList<>());
        assertThat(frames).hasSize(4);
        for (int i = 0; i < 4; i++) assertThat(frames.get(i)).as("frame %d", i).isEqualTo(sent.get(i));
    }

    @Test
    void aKeyframeLargerThanAPesLengthCanSayIsHandedOutWhole() {
        List<byte[]> sent = List.of(accessUnit(0, 80_000), accessUnit(1, 1200), accessUnit(2, 1300));
        List<byte[]> messages = new ArrayList<>();
        for (int i = 0; i < sent.size(); i++) messages.add(pes(sent.get(i), 90_000 + 3000L * i, i));
        messages.set(0, concat(tables(), messages.get(0)));
        run(messages, new ArrayList<>());
        assertThat(frames).hasSize(3);
        for (int i = 0; i < 3; i++) assertThat(frames.get(i)).as("frame %d", i).isEqualTo(sent.get(i));
    }

    /**
     * A muxer that tops up a packet in the middle of every frame with stuffing: the first such frame is closed too
     * early and comes out cut short, and from then on frames pass as they did before (whole, when the next starts).
     */
    @Test
    void stuffingInsideAFrameCostsThatFrameOnlyAndTurnsClosingOff() {
        stuffMidFrame = 3;
        List<byte[]> sent = new ArrayList<>();
        List<byte[]> messages = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            byte[] frame = accessUnit(i, 1500 + 37 * i);
            sent.add(frame);
            messages.add(pes(frame, 90_000 + 3000L * i, i));
        }
        messages.set(0, concat(tables(), messages.get(0)));
        run(messages, new ArrayList<>());
        assertThat(frames).hasSize(8);
        for (int i = 0; i < 8; i++) {
            if (i == 3) assertThat(frames.get(i).length).as("frame 3, cut short").isLessThan(sent.get(i).length);
            else assertThat(frames.get(i)).as("frame %d", i).isEqualTo(sent.get(i));
        }
    }

    /**
     * Demuxes {@code pesPackets} (the i-th holding frame i), sent in SRT-sized messages of 7 TS packets; records, at
     * each read once a frame is out, how many frames had been sent whole and how many were out.
     */
    void run(List<byte[]> pesPackets, List<int[]> atReads) {
        List<byte[]> messages = new ArrayList<>();
        List<Integer> wholeAfter = new ArrayList<>();
        for (int f = 0; f < pesPackets.size(); f++) {
            byte[] b = pesPackets.get(f);
            for (int at = 0; at < b.length; at += 7 * 188) {
                messages.add(Arrays.copyOfRange(b, at, Math.min(b.length, at + 7 * 188)));
                wholeAfter.add(at + 7 * 188 >= b.length ? f + 1 : f);
            }
        }
        TsDemuxer.run(feeding(messages, next -> {
            // No assertion in here: this runs inside FFmpeg's call, where an exception cannot unwind.
            if (!frames.isEmpty() && next < messages.size()) atReads.add(new int[] {wholeAfter.get(next - 1), frames.size()});
        }), new TsDemuxer.Sink() {
            @Override public void video(byte[] data, int len, long pts90, long dts90) {
                frames.add(Arrays.copyOf(data, len));
                pts.add(pts90);
            }
            @Override public void hevc(byte[] data, int len, long pts90, long dts90) { }
            @Override public void audio(byte[] data, int len, long pts90) { }
        });
    }

    /** An H.264 access unit in Annex B: an access unit delimiter, then one slice NAL of filler bytes. */
    static byte[] accessUnit(int index, int size) {
        byte[] au = new byte[size];
        byte[] head = {0, 0, 0, 1, 9, (byte) 0xF0, 0, 0, 0, 1, (byte) (index == 0 ? 0x65 : 0x41)};
        System.arraycopy(head, 0, au, 0, head.length);
        for (int i = head.length; i < size; i++) au[i] = (byte) (0x20 + (i * 7 + index) % 0x50); // no start codes
        return au;
    }

    /** One video PES without a length in TS packets; a PCR in the second packet; stuffing in the last when it needs it. */
    /** The video PID's continuity counter, running on across PES packets as a muxer keeps it. */
    int cc;
    /** From this frame on, each frame's third packet gets 20 bytes of stuffing though more follows (-1: none). */
    int stuffMidFrame = -1;

    byte[] pes(byte[] au, long pts, int index) {
        ByteArrayOutputStream pes = new ByteArrayOutputStream();
        pes.writeBytes(new byte[] {0, 0, 1, (byte) 0xE0, 0, 0, (byte) 0x80, (byte) 0x80, 5});
        pes.write(0x21 | (int) ((pts >> 29) & 0x0E));
        pes.write((int) (pts >> 22));
        pes.write(0x01 | (int) ((pts >> 14) & 0xFE));
        pes.write((int) (pts >> 7));
        pes.write(0x01 | (int) ((pts << 1) & 0xFE));
        pes.writeBytes(au);
        byte[] data = pes.toByteArray();
        ByteArrayOutputStream ts = new ByteArrayOutputStream();
        for (int at = 0, n = 0; at < data.length; n++) {
            boolean pcr = n == 1;
            int room = 184 - (pcr ? 8 : 0);
            int take = Math.min(room, data.length - at);
            if (stuffMidFrame >= 0 && index >= stuffMidFrame && n == 2) take = room - 20;
            int stuffing = room - take;
            byte[] p = new byte[188];
            p[0] = 0x47;
            p[1] = (byte) ((at == 0 ? 0x40 : 0) | (VIDEO_PID >> 8));
            p[2] = (byte) VIDEO_PID;
            int q = 4;
            if (pcr || stuffing > 0) {
                p[3] = (byte) (0x30 | (cc++ & 0xF));
                // The adaptation field takes its length byte, then the flags, the PCR's 6 bytes and the stuffing.
                int afLength = pcr ? 7 + stuffing : stuffing - 1;
                p[4] = (byte) afLength;
                if (afLength > 0) {
                    p[5] = (byte) (pcr ? 0x10 : 0);
                    int f = 6;
                    if (pcr) {
                        long base = pts - 63_000;
                        p[6] = (byte) (base >> 25);
                        p[7] = (byte) (base >> 17);
                        p[8] = (byte) (base >> 9);
                        p[9] = (byte) (base >> 1);
                        p[10] = (byte) (((base & 1) << 7) | 0x7E);
                        p[11] = 0;
                        f = 12;
                    }
                    while (f < 5 + afLength) p[f++] = (byte) 0xFF;
                }
                q = 5 + afLength;
            } else {
                p[3] = (byte) (0x10 | (cc++ & 0xF));
            }
            System.arraycopy(data, at, p, q, take);
            assertThat(q + take).isEqualTo(188);
            at += take;
            ts.writeBytes(p);
        }
        return ts.toByteArray();
    }

    /** PAT (program 1 → PMT_PID) and PMT (one H.264 stream on VIDEO_PID, PCR on it too). */
    static byte[] tables() {
        return tables(0x1B);
    }

    /** The same with the video PID's stream type {@code streamType} (0x06: a private stream, as FFmpeg writes AV1). */
    static byte[] tables(int streamType) {
        byte[] pat = section(0, 0x00, new byte[] {0, 1, (byte) (0xE0 | (PMT_PID >> 8)), (byte) PMT_PID}, 0x0001);
        byte[] pmt = section(PMT_PID, 0x02, new byte[] {(byte) (0xE0 | (VIDEO_PID >> 8)), (byte) VIDEO_PID, (byte) 0xF0, 0,
                (byte) streamType, (byte) (0xE0 | (VIDEO_PID >> 8)), (byte) VIDEO_PID, (byte) 0xF0, 0}, 0x0001);
        return concat(pat, pmt);
    }

    static byte[] section(int pid, int tableId, byte[] body, int idExtension) {
        int length = 5 + body.length + 4;
        byte[] s = new byte[3 + length];
        s[0] = (byte) tableId;
        s[1] = (byte) (0xB0 | (length >> 8));
        s[2] = (byte) length;
        s[3] = (byte) (idExtension >> 8);
        s[4] = (byte) idExtension;
        s[5] = (byte) 0xC1;
        s[6] = 0;
        s[7] = 0;
        System.arraycopy(body, 0, s, 8, body.length);
        int crc = crc32Mpeg(s, s.length - 4);
        s[s.length - 4] = (byte) (crc >>> 24);
        s[s.length - 3] = (byte) (crc >>> 16);
        s[s.length - 2] = (byte) (crc >>> 8);
        s[s.length - 1] = (byte) crc;
        byte[] p = new byte[188];
        Arrays.fill(p, (byte) 0xFF);
        p[0] = 0x47;
        p[1] = (byte) (0x40 | (pid >> 8));
        p[2] = (byte) pid;
        p[3] = 0x10;
        p[4] = 0; // pointer field
        System.arraycopy(s, 0, p, 5, s.length);
        return p;
    }

    static int crc32Mpeg(byte[] b, int n) {
        int crc = 0xFFFFFFFF;
        for (int i = 0; i < n; i++) {
            crc ^= (b[i] & 0xFF) << 24;
            for (int k = 0; k < 8; k++) crc = (crc & 0x80000000) != 0 ? (crc << 1) ^ 0x04C11DB7 : crc << 1;
        }
        return crc;
    }

    static byte[] concat(byte[] a, byte[] b) {
        byte[] c = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, c, a.length, b.length);
        return c;
    }

    /**
     * A source handing the demuxer one message per read, as SRT does; {@code beforeRead} sees the index of the message
     * about to be read (the list's size once all are).
     */
    static TsDemuxer.Source feeding(List<byte[]> messages, java.util.function.IntConsumer beforeRead) {
        int[] next = {0};
        return (address, capacity) -> {
            beforeRead.accept(next[0]);
            if (next[0] == messages.size()) return 0;
            byte[] m = messages.get(next[0]++);
            if (capacity < m.length) return 0;
            new Pointer(address).write(0, m, 0, m.length);
            return m.length;
        };
    }
}
