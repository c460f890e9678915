package live.cascade.ingest.audio;

/**
 * Which AAC the node hands on as it is (to HLS and the recording) next to the Opus it makes for WebRTC viewers:
 * AAC-LC with 1024-sample frames, mono or stereo, at a standard rate.
 */
public final class AacPassThrough {
    private AacPassThrough() {}

    private static final int[] RATES = {96000, 88200, 64000, 48000, 44100, 32000, 24000, 22050, 16000, 12000, 11025, 8000, 7350};

    /**
     * The sample rate of an AudioSpecificConfig HLS and recordings can take as it is (AAC-LC, 1024-sample frames, one
     * or two channels), else 0 (then only the Opus goes on). ISO 14496-3 §1.6.2.1.
     */
    public static int rate(byte[] asc) {
        if (asc.length < 2) return 0;
        int objectType = (asc[0] & 0xFF) >> 3;
        int rateIndex = ((asc[0] & 0x07) << 1) | ((asc[1] & 0xFF) >> 7);
        int channels = (asc[1] >> 3) & 0x0F;
        boolean shortFrames = (asc[1] & 0x04) != 0;
        if (objectType != 2 || rateIndex >= RATES.length || channels < 1 || channels > 2 || shortFrames) return 0;
        return RATES[rateIndex];
    }
}
