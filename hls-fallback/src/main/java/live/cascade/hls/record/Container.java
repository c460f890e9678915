package live.cascade.hls.record;

/** The file format a recording is kept in, chosen by the publisher's video codec so nothing is re-encoded. */
public enum Container {
    /** H.264, HEVC or AV1 (+ Opus or AAC): fragmented MP4, playable while written and after a crash up to its last fragment. */
    MP4("mp4", "video/mp4"),
    /** VP8 (+ Opus): WebM, the container VP8 was made for. */
    WEBM("webm", "video/webm");

    private final String extension;
    private final String mimeType;

    Container(String extension, String mimeType) {
        this.extension = extension;
        this.mimeType = mimeType;
    }

    public String extension() { return extension; }

    public String mimeType() { return mimeType; }

    public String muxer() { return this == MP4 ? "mp4" : "webm"; }

    public static Container forExtension(String ext) {
        for (Container c : values()) if (c.extension.equals(ext)) return c;
        throw new IllegalArgumentException("no container for ." + ext);
    }
}
