package live.cascade.sfu.routing;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import live.cascade.sfu.transport.MediaTransport;

/**
 * Records what the router sends. Like a real SRTP transport it requires the tail room and then overwrites the
 * packet in place (as encryption would), so a caller that relied on the buffer afterwards would be caught.
 */
final class FakeTransport implements MediaTransport {
    final List<byte[]> rtp = new ArrayList<>();
    final List<byte[]> rtcp = new ArrayList<>();
    private final boolean record;
    long rtpCount;
    long rtpBytes;
    long rtcpCount;
    /** The last sequence number sent on {@link #watchedSsrc}, tracked without allocating. */
    long watchedSsrc = -1;
    int lastWatchedSequence = -1;
    /** False plays an RTMP/SRT ingest: feedback cannot reach its encoder. */
    boolean carriesFeedback = true;

    FakeTransport() { this(true); }

    /** {@code record=false}: count only, allocate nothing (for the allocation test). */
    FakeTransport(boolean record) { this.record = record; }

    @Override
    public boolean carriesFeedback() { return carriesFeedback; }

    @Override
    public void sendRtp(byte[] buf, int off, int len) {
        checkTailRoom(buf, off, len);
        rtpCount++;
        rtpBytes += len;
        if ((((buf[off + 8] & 0xFFL) << 24) | (buf[off + 9] & 0xFF) << 16 | (buf[off + 10] & 0xFF) << 8 | (buf[off + 11] & 0xFF)) == watchedSsrc) {
            lastWatchedSequence = (buf[off + 2] & 0xFF) << 8 | (buf[off + 3] & 0xFF);
        }
        if (record) rtp.add(Arrays.copyOfRange(buf, off, off + len));
        scribble(buf, off, len);
    }

    @Override
    public void sendRtcp(byte[] buf, int off, int len) {
        checkTailRoom(buf, off, len);
        rtcpCount++;
        if (record) rtcp.add(Arrays.copyOfRange(buf, off, off + len));
        scribble(buf, off, len);
    }

    private static void checkTailRoom(byte[] buf, int off, int len) {
        if (buf.length - (off + len) < SRTP_TAIL_ROOM) throw new AssertionError("no SRTP tail room");
    }

    private static void scribble(byte[] buf, int off, int len) {
        for (int i = off + 12; i < off + len + SRTP_TAIL_ROOM; i++) buf[i] ^= (byte) 0x5A;
    }

    void clear() {
        rtp.clear();
        rtcp.clear();
    }
}
