package live.cascade.ingest.bridge;

/** What the creator is told about B-frames (RTMP onStatus, stream health), per {@code --ingest-bframes}. */
final class BFrameMessages {
    private BFrameMessages() {}

    static final String BFRAMES_CODE = "NetStream.Publish.BFrames";
    static final String BFRAMES = "This stream has B-frames, which WebRTC viewers cannot play smoothly (HLS is fine). Turn "
            + "them off: in OBS, Settings > Output > Streaming, x264 options 'bframes=0' (or Max B-frames 0 with NVENC); "
            + "in FFmpeg, -bf 0.";
    static final String BFRAMES_REENCODED = "This stream has B-frames, which WebRTC viewers cannot play smoothly: the server "
            + "re-encodes its video for them, which costs CPU and a little delay. To avoid that, turn B-frames off: in OBS, "
            + "Settings > Output > Streaming, x264 options 'bframes=0' (or Max B-frames 0 with NVENC); in FFmpeg, -bf 0.";
    static final String REENCODED = ", re-encoded without B-frames";
    static final String BFRAMES_REJECTED = "This server does not take streams with B-frames (WebRTC viewers cannot play them "
            + "smoothly). Turn them off and start again: in OBS, Settings > Output > Streaming, x264 options 'bframes=0' (or "
            + "Max B-frames 0 with NVENC); in FFmpeg, -bf 0.";
}
