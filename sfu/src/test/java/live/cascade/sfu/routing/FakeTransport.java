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

    FakeTransport() { this(true); }

    /** {@code record=false}: count only, allocate nothing (for the allocation test). */
    FakeTransport(boolean record) { this.record = record; }

    @Override
    public void sendRtp(byte[] buf, int off, int len) {
        checkTailRoom(buf, off, len);
        rtpCount++;
        rtpBytes += len;
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
