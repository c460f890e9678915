package live.cascade.sfu.engine;

/**
 * Netty settings the media path needs, applied by the node's {@code main} before any Netty class is loaded (they are
 * read once, in static initialisers). An operator's own {@code -D} value wins.
 */
public final class NettyDefaults {
    /**
     * Recycled objects a thread keeps at hand before handing them to its shared queue. Every datagram written costs
     * one recycled {@code ChannelOutboundBuffer.Entry}, and a flush gives back one per viewer at once; with Netty's
     * default of 32 the rest of each flush went through a chunked queue that allocates a new chunk every 32 objects
     * (about 5 bytes per packet sent at 200 viewers, issue 19's allocation profile). 2,048 (the most Netty takes
     * with its default 4,096 objects per thread) covers a flush to 2,000 viewers.
     */
    static final int RECYCLER_CHUNK = 2048;

    private NettyDefaults() {}

    public static void apply() {
        if (System.getProperty("io.netty.recycler.chunkSize") == null) {
            System.setProperty("io.netty.recycler.chunkSize", Integer.toString(RECYCLER_CHUNK));
        }
    }
}
