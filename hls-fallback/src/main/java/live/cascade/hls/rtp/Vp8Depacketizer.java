package live.cascade.hls.rtp;

import live.cascade.sfu.params.MediaKind;

import java.util.Arrays;
import java.util.function.Consumer;

/**
 * VP8 over RTP (RFC 7741) back to frames: strips each packet's payload descriptor and joins the payloads of one
 * frame, which starts at a packet with S=1 and partition index 0 and ends with the marker bit (or the next timestamp).
 * A frame is a key frame when the P bit of its VP8 payload header is 0.
 */
public final class Vp8Depacketizer implements Depacketizer {
    private static final int MAX_FRAME = 8 << 20;

    private Consumer<EncodedFrame> output = f -> {};
    private byte[] frame = new byte[64 * 1024];
    private int length;
    private boolean inFrame;
    private boolean damaged;
    private long timestamp;
    private long arrival;
    private long dropped;

    @Override
    public void setOutput(Consumer<EncodedFrame> output) { this.output = output; }

    @Override
    public void onPayload(byte[] b, int off, int len, long ts, boolean marker, long arrivalNanos) {
        if (inFrame && ts != timestamp) finishFrame();
        int descriptor = descriptorLength(b, off, len);
        if (descriptor < 0 || descriptor >= len) {
            if (inFrame) damaged = true;
            else dropped++;
            return;
        }
        int d0 = b[off] & 0xFF;
        boolean start = (d0 & 0x10) != 0 && (d0 & 0x07) == 0;
        if (start) {
            if (inFrame) finishFrame();
            inFrame = true;
            damaged = false;
            length = 0;
            timestamp = ts;
        } else if (!inFrame) {
            return; // the start of this frame was lost; wait for the next one
        }
        arrival = arrivalNanos;
        append(b, off + descriptor, len - descriptor);
        if (marker) finishFrame();
    }

    /** Bytes of the payload descriptor, or -1 when it runs past the packet. */
    static int descriptorLength(byte[] b, int off, int len) {
        if (len < 1) return -1;
        int pos = 1;
        if ((b[off] & 0x80) != 0) {
            if (len < 2) return -1;
            int x = b[off + 1] & 0xFF;
            pos = 2;
            if ((x & 0x80) != 0) {
                if (pos >= len) return -1;
                pos += (b[off + pos] & 0x80) != 0 ? 2 : 1;
            }
            if ((x & 0x40) != 0) pos++;
            if ((x & 0x30) != 0) pos++;
        }
        return pos > len ? -1 : pos;
    }

    private void append(byte[] b, int off, int len) {
        if (length + len > MAX_FRAME) {
            damaged = true;
            return;
        }
        if (length + len > frame.length) frame = Arrays.copyOf(frame, Math.max(frame.length * 2, length + len));
        System.arraycopy(b, off, frame, length, len);
        length += len;
    }

    private void finishFrame() {
        if (!inFrame) return;
        inFrame = false;
        if (damaged || length < 3) {
            dropped++;
            return;
        }
        boolean key = (frame[0] & 0x01) == 0;
        output.accept(new EncodedFrame(MediaKind.VIDEO, Arrays.copyOf(frame, length), timestamp, key, arrival));
    }

    @Override
    public void onLoss() {
        if (inFrame) damaged = true;
    }

    @Override
    public void flush() {
        // Without the marker we cannot know the last partition arrived: drop rather than feed a truncated frame.
        if (inFrame) dropped++;
        inFrame = false;
    }

    @Override
    public long droppedFrames() { return dropped; }

    /** Width and height from a VP8 key frame's header, or null when {@code frame} is not one. */
    public static int[] keyFrameSize(byte[] f) {
        if (f.length < 10 || (f[0] & 0x01) != 0) return null;
        if ((f[3] & 0xFF) != 0x9d || (f[4] & 0xFF) != 0x01 || (f[5] & 0xFF) != 0x2a) return null;
        int w = ((f[7] & 0x3F) << 8) | (f[6] & 0xFF);
        int h = ((f[9] & 0x3F) << 8) | (f[8] & 0xFF);
        return new int[]{w, h};
    }
}
