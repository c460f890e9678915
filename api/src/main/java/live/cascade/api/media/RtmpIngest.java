package live.cascade.api.media;

import io.micrometer.core.instrument.FunctionCounter;
import io.netty.handler.ssl.SslContext;
import java.util.LinkedHashMap;
import java.util.Map;
import live.cascade.api.http.SwappableTls;
import live.cascade.api.ops.Readiness;
import live.cascade.api.ops.ReadinessComponent;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Optional;
import java.util.OptionalInt;
import live.cascade.api.config.IngestConfig;
import live.cascade.ingest.IngestGate;
import live.cascade.ingest.bridge.IngestStatus;
import live.cascade.ingest.bridge.RouterPublishers;
import live.cascade.ingest.rtmp.RtmpCounters;
import live.cascade.ingest.rtmp.RtmpServer;
import live.cascade.ingest.srt.SrtCounters;
import live.cascade.ingest.srt.SrtServer;
import live.cascade.signaling.session.BroadcastService;

/**
 * The node's RTMP and SRT ingest (issue 23): the listeners on {@code --rtmp-port}, {@code --rtmps-port} and
 * {@code --srt-port}, whose admitted publishes feed the same routers as WHIP ({@link RouterPublishers}), and what
 * {@code /metrics} and stream health read of them. Each is off when its port is {@code off}.
 */
public final class RtmpIngest implements AutoCloseable {
    /** One event-loop thread: a node takes a handful of RTMP publishers, and their work is per frame, not per packet. */
    private static final int THREADS = 1;

    private final RtmpServer server;
    private final RtmpServer tlsServer;
    private final RouterPublishers publishers;
    private final RtmpCounters counters;
    private final SrtServer srt;
    private final SrtCounters srtCounters;

    private RtmpIngest(RtmpServer server, RtmpServer tlsServer, RouterPublishers publishers, RtmpCounters counters,
                       SrtServer srt, SrtCounters srtCounters) {
        this.srt = srt;
        this.srtCounters = srtCounters;
        this.server = server;
        this.tlsServer = tlsServer;
        this.publishers = publishers;
        this.counters = counters;
    }

    /** @param tls the node's certificate and key (for RTMPS, each connection taking the current one), or null without --tls-cert */
    static RtmpIngest start(IngestConfig config, BroadcastService broadcasts, IngestGate gate, SwappableTls tls) {
        RouterPublishers publishers = new RouterPublishers(broadcasts, config.bframes());
        RtmpCounters counters = new RtmpCounters();
        RtmpServer plain = config.rtmpEnabled()
                ? RtmpServer.start(config.rtmpHost(), config.rtmpPort(), THREADS, gate, publishers, counters, (SslContext) null) : null;
        RtmpServer secure = null;
        try {
            if (config.rtmpsEnabled()) {
                if (tls == null) throw new IllegalStateException("RTMPS needs the node's certificate (--tls-cert, --tls-key)");
                tls.nettyContext(); // a certificate Netty cannot use stops the start here, not at the first encoder
                secure = RtmpServer.start(config.rtmpHost(), config.rtmpsPort(), THREADS, gate, publishers, counters, tls::nettyContext);
            }
        } catch (RuntimeException e) {
            if (plain != null) plain.close();
            throw e;
        }
        SrtCounters srtCounters = new SrtCounters();
        SrtServer srt = null;
        try {
            if (config.srtEnabled()) {
                srt = SrtServer.start(config.srtHost(), config.srtPort(), config.srtLatencyMs(), config.srtPassphrase(),
                        gate, publishers, srtCounters);
            }
        } catch (RuntimeException e) {
            if (plain != null) plain.close();
            if (secure != null) secure.close();
            throw e;
        }
        return new RtmpIngest(plain, secure, publishers, counters, srt, srtCounters);
    }

    /** The bound TCP port, empty when RTMP is off. */
    public OptionalInt port() {
        return server == null ? OptionalInt.empty() : OptionalInt.of(server.port());
    }

    /** The bound RTMPS port, empty when RTMPS is off. */
    public OptionalInt tlsPort() {
        return tlsServer == null ? OptionalInt.empty() : OptionalInt.of(tlsServer.port());
    }

    /** The bound SRT (UDP) port, empty when SRT is off. */
    public OptionalInt srtPort() {
        return srt == null ? OptionalInt.empty() : OptionalInt.of(srt.port());
    }

    /** The channel's RTMP publish on this node (codecs, warnings such as B-frames), if it is publishing over RTMP. */
    public Optional<IngestStatus> status(long channelId) {
        return publishers.status(channelId);
    }

    /**
     * {@code "rtmp"} in {@code /readyz}: the listeners' ports and the publishes running, "down" when a listener's socket
     * closed (RTMP encoders cannot connect; WHIP still can, so the node stays in service).
     */
    public ReadinessComponent readiness() {
        return new ReadinessComponent() {
            @Override public String name() { return "rtmp"; }

            @Override
            public Readiness check() {
                Map<String, Object> d = new LinkedHashMap<>();
                d.put("port", server == null ? "off" : server.port());
                d.put("tlsPort", tlsServer == null ? "off" : tlsServer.port());
                d.put("publishes", counters.publishes());
                d.put("srtPort", srt == null ? "off" : srt.port());
                d.put("srtPublishes", srtCounters.publishes());
                if ((server != null && !server.listening()) || (tlsServer != null && !tlsServer.listening())) {
                    return new Readiness.Down("The RTMP listener is closed: RTMP encoders cannot connect (WHIP still can); restart the node.", d);
                }
                if (srt != null && !srt.listening()) {
                    return new Readiness.Down("The SRT listener stopped: SRT encoders cannot connect (WHIP and RTMP still can); restart the node.", d);
                }
                return new Readiness.Ok(server == null && tlsServer == null && srt == null ? "RTMP and SRT ingest are off (--rtmp-port off)."
                        : "Listening for RTMP/SRT encoders.", d);
            }
        };
    }

    void bindMetrics(MeterRegistry registry) {
        FunctionCounter.builder("cascade_ingest_bframe_publishes", publishers, RouterPublishers::bframePublishes)
                .description("RTMP publishes found to carry B-frames (the creator is told to turn them off)").register(registry);
        FunctionCounter.builder("cascade_ingest_bframe_rejected", publishers, RouterPublishers::bframeRejections)
                .description("RTMP/SRT publishes refused for their B-frames (--ingest-bframes reject)").register(registry);
        FunctionCounter.builder("cascade_ingest_bframe_reencoded", publishers, RouterPublishers::bframeReencodes)
                .description("RTMP/SRT publishes whose video is re-encoded without B-frames (--ingest-bframes reencode)").register(registry);
        FunctionCounter.builder("cascade_ingest_reencode_dropped_frames", publishers, RouterPublishers::reencodeDrops)
                .description("Frames the B-frame re-encode dropped because it fell behind (it resumes at the next keyframe)").register(registry);
        FunctionCounter.builder("cascade_ingest_malformed_tags", publishers, RouterPublishers::malformedTags)
                .description("FLV audio/video tags dropped because they could not be read").register(registry);
        if (srt != null) {
            SrtCounters sc = srtCounters;
            FunctionCounter.builder("cascade_srt_connections", sc, SrtCounters::connections)
                    .description("SRT callers accepted (good stream key)").register(registry);
            FunctionCounter.builder("cascade_srt_publishes", sc, SrtCounters::publishes)
                    .description("SRT publishes that reached the router").register(registry);
            FunctionCounter.builder("cascade_srt_bad_requests", sc, SrtCounters::badRequests)
                    .description("SRT callers refused for asking to play (m=request) instead of publishing").register(registry);
            FunctionCounter.builder("cascade_srt_malformed_frames", sc, SrtCounters::malformed)
                    .description("H.264 access units or ADTS frames from SRT publishes dropped because they could not be read").register(registry);
            for (IngestGate.Reason reason : IngestGate.Reason.values()) {
                FunctionCounter.builder("cascade_srt_refused", sc, x -> x.refused(reason))
                        .description("SRT callers refused in the handshake, by reason").tag("reason", reason.name()).register(registry);
            }
        }
        if (server == null && tlsServer == null) return;
        RtmpCounters c = counters;
        FunctionCounter.builder("cascade_rtmp_connections", c, RtmpCounters::connections)
                .description("RTMP and RTMPS connections accepted").register(registry);
        FunctionCounter.builder("cascade_rtmp_publishes", c, RtmpCounters::publishes)
                .description("RTMP publishes admitted (good stream key)").register(registry);
        FunctionCounter.builder("cascade_rtmp_protocol_errors", c, RtmpCounters::protocolErrors)
                .description("RTMP connections closed for breaking the protocol (handshake, chunk framing, AMF)").register(registry);
        for (IngestGate.Reason reason : IngestGate.Reason.values()) {
            FunctionCounter.builder("cascade_rtmp_refused", c, x -> x.refused(reason))
                    .description("RTMP publishes refused, by reason").tag("reason", reason.name()).register(registry);
        }
    }

    @Override
    public void close() {
        if (srt != null) srt.close();
        if (server != null) server.close();
        if (tlsServer != null) tlsServer.close();
    }
}
