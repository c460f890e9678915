package live.cascade.hls.llhls;

/**
 * One part (partial segment) of a rendition: the {@code index}th part of media segment {@code msn}. Its duration is
 * known once it is complete; until then it is the part a preload hint points at.
 */
public final class Part {
    private final long msn;
    private final int index;
    private final long startMicros;
    private final boolean independent;
    private final PartBytes bytes = new PartBytes();
    private volatile long durationMicros = -1;

    Part(long msn, int index, long startMicros, boolean independent) {
        this.msn = msn;
        this.index = index;
        this.startMicros = startMicros;
        this.independent = independent;
    }

    public long msn() { return msn; }

    public int index() { return index; }

    /** {@code MSN.INDEX.m4s}, relative to the playlist. */
    public String uri() { return uri(msn, index); }

    public static String uri(long msn, int index) { return msn + "." + index + ".m4s"; }

    public long startMicros() { return startMicros; }

    /** It starts with a keyframe: a player can start decoding here ({@code INDEPENDENT=YES}). */
    public boolean independent() { return independent; }

    public PartBytes bytes() { return bytes; }

    /** -1 while it is being written. */
    public long durationMicros() { return durationMicros; }

    public boolean complete() { return durationMicros >= 0; }

    void end(long endMicros) {
        durationMicros = Math.max(1, endMicros - startMicros);
        bytes.finish();
    }
}
