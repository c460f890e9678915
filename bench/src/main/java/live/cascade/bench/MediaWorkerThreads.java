package live.cascade.bench;

import io.netty.util.concurrent.DefaultThreadFactory;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * JMH's benchmark threads made like a media worker's: Netty {@code FastThreadLocalThread}s. It matters for the
 * forwarding benchmark: Netty 4.2 recycles its per-write bookkeeping ({@code ChannelOutboundBuffer.Entry}) only on
 * such threads and allocates one per write on any other, which the real worker (a Netty event loop) never does.
 * Selected with {@code -Djmh.executor=CUSTOM -Djmh.executor.class=live.cascade.bench.MediaWorkerThreads}.
 */
public final class MediaWorkerThreads extends ThreadPoolExecutor {
    public MediaWorkerThreads(int maxThreads, String prefix) {
        super(maxThreads, maxThreads, 0, TimeUnit.MILLISECONDS, new LinkedBlockingQueue<>(),
                new DefaultThreadFactory(prefix, true));
    }
}
