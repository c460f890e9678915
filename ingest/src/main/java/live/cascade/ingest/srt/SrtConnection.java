package live.cascade.ingest.srt;

import com.sun.jna.Memory;
import com.sun.jna.Pointer;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import live.cascade.ingest.IngestGate;
import live.cascade.ingest.StreamPublisher;
import live.cascade.ingest.StreamPublishers;
import live.cascade.ingest.ts.TsDemuxer;
import live.cascade.ingest.ts.TsToFlv;
import live.cascade.signaling.session.ChannelRef;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One accepted SRT publisher on a thread of its own. It first waits for its stream key's check when the handshake
 * did not ({@link SrtServer}), and ends without publishing when that is a refusal. Then SRT messages (MPEG-TS, 1316
 * bytes each as encoders send them) → FFmpeg's TS demuxer → {@link TsToFlv} → the same {@link StreamPublisher} an
 * RTMP publish uses. The thread blocks in
 * {@code srt_recvmsg} with a short timeout, and between reads runs what the publisher asks of its connection
 * thread (the node ending the publish), so the publisher sees one thread as it does on RTMP.
 */
final class SrtConnection implements Runnable {
    private static final Logger LOG = LoggerFactory.getLogger(SrtConnection.class);
    /** The largest SRT live payload (1500 - 28 - 16). */
    static final int MAX_PAYLOAD = 1456;

    private final LibSrt srt;
    private final int socket;
    private final CompletableFuture<IngestGate.Admission> decision;
    private ChannelRef channel;
    private final StreamPublishers publishers;
    private final SrtCounters counters;
    private final ConcurrentLinkedQueue<Runnable> tasks = new ConcurrentLinkedQueue<>();
    /** For reads FFmpeg asks with less room than one SRT message (rare): the message lands here first. */
    private final Memory staging = new Memory(MAX_PAYLOAD);
    private int stagedOffset, stagedLength;
    private volatile boolean stop;
    private String endedBecause;

    SrtConnection(LibSrt srt, int socket, CompletableFuture<IngestGate.Admission> decision, StreamPublishers publishers,
                  SrtCounters counters) {
        this.srt = srt;
        this.socket = socket;
        this.decision = decision;
        this.publishers = publishers;
        this.counters = counters;
    }

    /** Asks the thread to end (node shutdown); it closes the socket itself. */
    void stop() {
        stop = true;
    }

    @Override
    public void run() {
        StreamPublisher publisher = null;
        try {
            IngestGate.Admission admission = awaitDecision();
            if (!(admission instanceof IngestGate.Admitted admitted)) {
                if (admission instanceof IngestGate.Refused r) {
                    counters.countRefused(r.reason());
                    LOG.info("SRT publish refused after the handshake: {} ({})", r.reason(), r.detail());
                }
                return;
            }
            channel = admitted.channel();
            Thread.currentThread().setName("srt-" + channel.slug());
            publisher = publishers.open(channel, new StreamPublishers.PublishEvents() {
                @Override public void warning(String code, String detail) {
                    LOG.info("SRT publish to channel {}: {}", channel.slug(), detail);
                }

                @Override public void ended(String why) {
                    endedBecause = why;
                    stop = true;
                }

                @Override public void rejected(String code, String detail) {
                    // Logged and counted by the publisher; SRT has no status message, so the connection just ends.
                    endedBecause = detail;
                    stop = true;
                }

                @Override public void refused(String detail) {
                    counters.countRefused(IngestGate.Reason.NODE_FULL);
                    endedBecause = detail;
                    stop = true;
                }

                @Override public String protocol() { return "srt"; }
            }, tasks::add);
            counters.publishes.increment();
            TsToFlv flv = new TsToFlv(publisher);
            String why = TsDemuxer.run(this::read, new TsDemuxer.Sink() {
                @Override public void video(byte[] data, int len, long pts90, long dts90) {
                    flv.video(data, len, pts90, dts90);
                }

                @Override public void hevc(byte[] data, int len, long pts90, long dts90) {
                    flv.hevc(data, len, pts90, dts90);
                }

                @Override public void audio(byte[] data, int len, long pts90) {
                    flv.audio(data, len, pts90);
                }

                @Override public void unsupportedVideo(String what) {
                    flv.unsupportedVideo(what);
                }
            });
            counters.malformed.add(flv.malformed());
            LOG.info("SRT publish to channel {} ended: {}", channel.slug(), endedBecause != null ? endedBecause : why);
        } catch (RuntimeException e) {
            LOG.warn("SRT publish to channel {} failed", channel == null ? "(not checked yet)" : channel.slug(), e);
        } finally {
            if (publisher != null) publisher.close();
            srt.srt_close(socket);
        }
    }

    /**
     * The stream-key check's answer, or null when the node stops first. Meanwhile libsrt keeps what the caller sends;
     * read later, it is handed over at once (its delivery times have passed), so the wait adds no lasting delay.
     */
    private IngestGate.Admission awaitDecision() {
        while (!stop) {
            try {
                return decision.get(SrtServer.READ_TIMEOUT_MS, TimeUnit.MILLISECONDS);
            } catch (TimeoutException e) {
                // look at stop again
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return null;
            } catch (ExecutionException e) {
                return new IngestGate.Refused(IngestGate.Reason.NODE_FULL, "The server could not check the stream key.");
            }
        }
        return null;
    }

    /** The demuxer's read: one SRT message per call, ≤ 0 once the caller is gone or the node ends the publish. */
    private int read(long address, int capacity) {
        if (stagedLength > 0) return fromStaging(address, capacity);
        while (true) {
            for (Runnable t; (t = tasks.poll()) != null; ) t.run();
            if (stop) return 0;
            boolean direct = capacity >= MAX_PAYLOAD;
            int n = srt.srt_recvmsg(socket, direct ? new Pointer(address) : staging, direct ? capacity : MAX_PAYLOAD);
            if (n > 0) {
                if (direct) return n;
                stagedOffset = 0;
                stagedLength = n;
                return fromStaging(address, capacity);
            }
            if (srt.srt_getlasterror(null) / 1000 != LibSrt.MJ_AGAIN) return 0; // the caller closed or was lost
        }
    }

    private int fromStaging(long address, int capacity) {
        int n = Math.min(capacity, stagedLength);
        new Pointer(address).write(0, staging.getByteArray(stagedOffset, n), 0, n);
        stagedOffset += n;
        stagedLength -= n;
        return n;
    }
}
