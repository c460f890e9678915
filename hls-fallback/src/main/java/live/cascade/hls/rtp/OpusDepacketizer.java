package live.cascade.hls.rtp;

import live.cascade.sfu.params.MediaKind;

import java.util.Arrays;
import java.util.function.Consumer;

/** Opus over RTP (RFC 7587): every payload is one Opus packet, so this only copies. */
public final class OpusDepacketizer implements Depacketizer {
    private Consumer<EncodedFrame> output = f -> {};
    private long dropped;

    @Override
    public void setOutput(Consumer<EncodedFrame> output) { this.output = output; }

    @Override
    public void onPayload(byte[] b, int off, int len, long ts, boolean marker, long arrivalNanos) {
        if (len < 1) {
            dropped++;
            return;
        }
        output.accept(new EncodedFrame(MediaKind.AUDIO, Arrays.copyOfRange(b, off, off + len), ts, true, arrivalNanos));
    }

    @Override
    public void onLoss() {
        // Opus conceals a missing packet by itself (the decoder sees the timestamp gap).
    }

    @Override
    public void flush() {}

    @Override
    public long droppedFrames() { return dropped; }
}
