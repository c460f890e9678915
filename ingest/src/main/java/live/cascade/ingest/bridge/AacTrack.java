package live.cascade.ingest.bridge;

import live.cascade.ingest.audio.AacPassThrough;
import live.cascade.ingest.audio.AacToOpus;

import java.util.Arrays;

/**
 * A publish's AAC audio from its sequence header on: the AAC → Opus transcoder for WebRTC viewers, the Opus track's
 * clock base, and, when the AAC is one the tap can take as sent (AAC-LC, 1024-sample frames), its AudioSpecificConfig
 * and the place of each original frame on the Opus track's clock, so HLS and recordings carry the publisher's AAC.
 * One per publish, on the connection's thread.
 */
final class AacTrack implements AutoCloseable {
    private final AacToOpus transcoder;
    /** The Opus track's RTP timestamp (48 kHz) of the sequence header. */
    private final long base;
    /** The AudioSpecificConfig for pass-through, or null: then only the Opus made from it reaches the tap. */
    private final byte[] passConfig;
    private final int passRate;
    /** AAC samples (at {@link #passRate}) before the current frame, since the sequence header. */
    private long passSamples;

    /**
     * @param sequenceHeader the FLV AAC tag of the sequence header (2 bytes of tag header, then the AudioSpecificConfig)
     * @param ts             its FLV timestamp, ms
     * @throws RuntimeException when FFmpeg cannot open a decoder for it
     */
    AacTrack(byte[] sequenceHeader, long ts) {
        byte[] asc = Arrays.copyOfRange(sequenceHeader, 2, sequenceHeader.length);
        this.transcoder = new AacToOpus(asc, 96_000);
        this.base = ts * 48;
        this.passRate = AacPassThrough.rate(asc);
        this.passConfig = passRate > 0 ? asc : null;
    }

    /** The Opus track's clock base (48 kHz). */
    long base() { return base; }

    /** The AudioSpecificConfig when frames pass through as sent, else null. */
    byte[] passConfig() { return passConfig; }

    /** Transcodes one FLV AAC frame tag to Opus packets for {@code sink}. */
    void transcode(byte[] tag, AacToOpus.OpusSink sink) {
        transcoder.transcode(tag, 2, tag.length - 2, sink);
    }

    /**
     * The next original frame's timestamp on the Opus track's clock (both count samples from the sequence header, the
     * Opus at 48 kHz), advancing by one AAC frame; 0 when frames do not pass through.
     */
    long nextOriginalTimestamp() {
        if (passConfig == null) return 0;
        long ts = (base + passSamples * AacToOpus.RATE / passRate) & 0xFFFF_FFFFL;
        passSamples += 1024;
        return ts;
    }

    @Override
    public void close() {
        transcoder.close();
    }
}
