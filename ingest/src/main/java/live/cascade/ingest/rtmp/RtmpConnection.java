package live.cascade.ingest.rtmp;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;
import live.cascade.ingest.IngestGate;
import live.cascade.ingest.StreamPublisher;
import live.cascade.ingest.StreamPublishers;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One RTMP connection on the server: the handshake, then chunks in ({@link ChunkReader}) and out ({@link ChunkWriter}),
 * acknowledgements by the peer's window, and the publisher's command sequence as OBS, FFmpeg and Larix send it:
 * {@code connect}, {@code releaseStream}, {@code FCPublish}, {@code createStream}, {@code publish} (whose name is the
 * stream key), media and {@code @setDataFrame}, then {@code FCUnpublish} and {@code deleteStream}. Commands it does
 * not know get an {@code _error} (when they expect an answer) and are otherwise ignored, so an encoder's extras
 * ({@code getStreamLength}, {@code _checkbw}) cannot end the connection.
 *
 * <p>Runs on its Netty event loop; the stream-key check (a database read) runs on {@code blocking} and comes back.
 */
public final class RtmpConnection extends ByteToMessageDecoder {
    private static final Logger LOG = LoggerFactory.getLogger(RtmpConnection.class);
    /** What we ask the peer to acknowledge after, and our own chunk size once connected (fewer headers for video). */
    static final int WINDOW = 2_500_000;
    static final int OUT_CHUNK_SIZE = 4096;
    static final int STREAM_ID = 1;

    private final IngestGate gate;
    private final StreamPublishers publishers;
    private final RtmpCounters counters;
    private final Executor blocking;
    private final String protocol;
    private final Handshake handshake = new Handshake();
    private final ChunkReader reader = new ChunkReader();
    private final ChunkWriter writer = new ChunkWriter();
    private ChannelHandlerContext ctx;
    private long peerWindow = WINDOW;
    private long acknowledged;
    private boolean publishRequested;
    private StreamPublisher publisher;
    /** Media that arrived between publish and its admission, replayed once admitted. */
    private final java.util.ArrayList<RtmpMessage> pending = new java.util.ArrayList<>();
    static final int MAX_PENDING = 300;
    private boolean closing;

    public RtmpConnection(IngestGate gate, StreamPublishers publishers, RtmpCounters counters, Executor blocking) {
        this(gate, publishers, counters, blocking, "rtmp");
    }

    /** @param protocol {@code rtmp}, or {@code rtmps} behind TLS: what stream health says the stream arrives over */
    public RtmpConnection(IngestGate gate, StreamPublishers publishers, RtmpCounters counters, Executor blocking, String protocol) {
        this.protocol = protocol;
        this.gate = gate;
        this.publishers = publishers;
        this.counters = counters;
        this.blocking = blocking;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) throws Exception {
        this.ctx = ctx;
        super.handlerAdded(ctx);
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) throws Exception {
        counters.connections.increment();
        super.channelActive(ctx);
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        if (closing) {
            in.skipBytes(in.readableBytes());
            return;
        }
        if (handshake.step() != Handshake.Step.DONE) {
            byte[] reply = handshake.consume(in);
            if (reply != null) ctx.writeAndFlush(ctx.alloc().buffer(reply.length).writeBytes(reply));
            if (handshake.step() != Handshake.Step.DONE) return;
        }
        reader.read(in, this::onMessage);
        if (reader.bytesRead() - acknowledged >= peerWindow) {
            acknowledged = reader.bytesRead();
            send(ChunkWriter.CONTROL_CSID, new RtmpMessage(RtmpMessage.ACKNOWLEDGEMENT, 0, 0, int32((int) acknowledged)));
        }
        ctx.flush();
    }

    private void onMessage(RtmpMessage m) {
        if (closing) return;
        switch (m.type()) {
            case RtmpMessage.VIDEO, RtmpMessage.AUDIO -> media(m);
            case RtmpMessage.COMMAND_AMF0 -> command(Amf0.decode(m.payload()));
            case RtmpMessage.COMMAND_AMF3 -> command(Amf0.decode(amf3Skip(m.payload())));
            case RtmpMessage.WINDOW_ACK_SIZE -> {
                long w = m.payload().length >= 4 ? uint32(m.payload()) : 0;
                if (w > 0) peerWindow = w;
            }
            default -> {
                // @setDataFrame/onMetaData (18), user control, acknowledgements, peer bandwidth: nothing to do
                // (the codec parameters come from the sequence headers, which are authoritative).
            }
        }
    }

    private void media(RtmpMessage m) {
        StreamPublisher p = publisher;
        if (p == null) {
            // Encoders may send the sequence headers right behind publish, before its answer: keep them (bounded)
            // while the key is checked, since a decoder cannot start without them.
            if (publishRequested && pending.size() < MAX_PENDING) pending.add(m);
            return;
        }
        if (m.type() == RtmpMessage.VIDEO) p.video(m.timestamp(), m.payload());
        else p.audio(m.timestamp(), m.payload());
    }

    /** An AMF3 command message starts with one format byte (0: the rest is AMF0). */
    private static byte[] amf3Skip(byte[] p) {
        return p.length == 0 ? p : java.util.Arrays.copyOfRange(p, 1, p.length);
    }

    private void command(List<Object> values) {
        if (values.isEmpty() || !(values.get(0) instanceof String name)) {
            throw new RtmpProtocolException("command without a name");
        }
        double tx = values.size() > 1 && values.get(1) instanceof Double d ? d : 0;
        switch (name) {
            case "connect" -> connect(tx);
            case "releaseStream", "FCPublish" -> result(tx, null, null);
            case "createStream" -> result(tx, null, (double) STREAM_ID);
            case "publish" -> publish(values.size() > 3 && values.get(3) instanceof String s ? s : "");
            case "FCUnpublish", "deleteStream", "closeStream" -> endPublish();
            default -> {
                if (tx != 0) {
                    send(ChunkWriter.COMMAND_CSID, new RtmpMessage(RtmpMessage.COMMAND_AMF0, 0, 0,
                            Amf0.encode("_error", tx, null, status("error", "NetConnection.Call.Failed", "Unknown command " + name))));
                }
            }
        }
    }

    private void connect(double tx) {
        send(ChunkWriter.CONTROL_CSID, new RtmpMessage(RtmpMessage.WINDOW_ACK_SIZE, 0, 0, int32(WINDOW)));
        byte[] bandwidth = new byte[5];
        System.arraycopy(int32(WINDOW), 0, bandwidth, 0, 4);
        bandwidth[4] = 2; // dynamic
        send(ChunkWriter.CONTROL_CSID, new RtmpMessage(RtmpMessage.SET_PEER_BANDWIDTH, 0, 0, bandwidth));
        send(ChunkWriter.CONTROL_CSID, new RtmpMessage(RtmpMessage.SET_CHUNK_SIZE, 0, 0, int32(OUT_CHUNK_SIZE)));
        writer.chunkSize(OUT_CHUNK_SIZE);
        Map<String, Object> props = new LinkedHashMap<>();
        props.put("fmsVer", "FMS/3,0,1,123");
        props.put("capabilities", 31.0);
        Map<String, Object> info = status("status", "NetConnection.Connect.Success", "Connection succeeded.");
        info.put("objectEncoding", 0.0);
        result(tx, props, info);
    }

    private void publish(String rawName) {
        if (publishRequested) return;
        publishRequested = true;
        // OBS and some apps append ?query parameters to the key; the key is what precedes them.
        int q = rawName.indexOf('?');
        String key = q < 0 ? rawName : rawName.substring(0, q);
        ChannelHandlerContext c = ctx;
        blocking.execute(() -> {
            IngestGate.Admission admission;
            try {
                admission = gate.admit(key);
            } catch (RuntimeException e) {
                LOG.warn("RTMP publish: the stream key could not be checked", e);
                admission = new IngestGate.Refused(IngestGate.Reason.NODE_FULL, "The server could not check the stream key; try again shortly.");
            }
            IngestGate.Admission a = admission;
            c.executor().execute(() -> admitted(a));
        });
    }

    private void admitted(IngestGate.Admission admission) {
        if (!ctx.channel().isActive()) return;
        switch (admission) {
            case IngestGate.Refused r -> {
                counters.countRefused(r.reason());
                LOG.info("RTMP publish from {} refused: {} ({})", ctx.channel().remoteAddress(), r.reason(), r.detail());
                String code = r.reason() == IngestGate.Reason.UNKNOWN_KEY ? "NetStream.Publish.BadName" : "NetStream.Publish.Denied";
                closeWith(status("error", code, r.detail()));
            }
            case IngestGate.Admitted a -> {
                try {
                    publisher = publishers.open(a.channel(), new StreamPublishers.PublishEvents() {
                        @Override public void warning(String code, String detail) {
                            onStatus(status("warning", code, detail));
                            ctx.flush();
                        }

                        @Override public void ended(String why) {
                            publisher = null;
                            closeWith(status("status", "NetStream.Unpublish.Success", why));
                        }

                        @Override public String protocol() { return protocol; }

                        @Override public void rejected(String code, String detail) {
                            // Logged and counted by the publisher; the encoder shows the description to its user.
                            publisher = null;
                            closeWith(status("error", code, detail));
                        }

                        @Override public void refused(String detail) {
                            publisher = null;
                            counters.publishes.decrement();
                            counters.countRefused(IngestGate.Reason.NODE_FULL);
                            LOG.info("RTMP publish to channel {} refused: {}", a.channel().slug(), detail);
                            closeWith(status("error", "NetStream.Publish.Denied", detail));
                        }
                    }, ctx.executor());
                } catch (RuntimeException e) {
                    counters.countRefused(IngestGate.Reason.NODE_FULL);
                    LOG.warn("RTMP publish to channel {} could not start", a.channel().slug(), e);
                    closeWith(status("error", "NetStream.Publish.Denied", "The server could not start the broadcast: " + e.getMessage()));
                    return;
                }
                counters.publishes.increment();
                LOG.info("RTMP publish from {} to channel {}", ctx.channel().remoteAddress(), a.channel().slug());
                onStatus(status("status", "NetStream.Publish.Start", "Publishing to channel " + a.channel().slug() + "."));
                ctx.flush();
                List<RtmpMessage> early = List.copyOf(pending);
                pending.clear();
                for (RtmpMessage m : early) media(m);
            }
        }
    }

    private void endPublish() {
        pending.clear();
        StreamPublisher p = publisher;
        publisher = null;
        if (p != null) p.close();
    }

    private void closeWith(Map<String, Object> status) {
        closing = true;
        endPublish();
        onStatus(status);
        ctx.writeAndFlush(ctx.alloc().buffer(0)).addListener(ChannelFutureListener.CLOSE);
    }

    private void onStatus(Map<String, Object> info) {
        send(ChunkWriter.STATUS_CSID, new RtmpMessage(RtmpMessage.COMMAND_AMF0, STREAM_ID, 0, Amf0.encode("onStatus", 0.0, null, info)));
    }

    private void result(double tx, Object props, Object info) {
        send(ChunkWriter.COMMAND_CSID, new RtmpMessage(RtmpMessage.COMMAND_AMF0, 0, 0, Amf0.encode("_result", tx, props, info)));
    }

    static Map<String, Object> status(String level, String code, String description) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("level", level);
        m.put("code", code);
        m.put("description", description);
        return m;
    }

    private void send(int csid, RtmpMessage m) {
        ByteBuf out = ctx.alloc().buffer(m.payload().length + 32);
        writer.write(csid, m, out);
        ctx.write(out);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        endPublish();
        super.channelInactive(ctx);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        Throwable c = cause instanceof io.netty.handler.codec.DecoderException d && d.getCause() != null ? d.getCause() : cause;
        if (c instanceof RtmpProtocolException) {
            counters.protocolErrors.increment();
            LOG.info("RTMP connection from {} closed: {}", ctx.channel().remoteAddress(), c.getMessage());
        } else if (c instanceof java.io.IOException) {
            LOG.debug("RTMP connection from {}: {}", ctx.channel().remoteAddress(), c.toString());
        } else {
            LOG.warn("RTMP connection from {} failed", ctx.channel().remoteAddress(), c);
        }
        closing = true;
        endPublish();
        ctx.close();
    }

    static byte[] int32(int v) {
        return new byte[] {(byte) (v >>> 24), (byte) (v >>> 16), (byte) (v >>> 8), (byte) v};
    }

    private static long uint32(byte[] p) {
        return ((p[0] & 0xFFL) << 24) | ((p[1] & 0xFFL) << 16) | ((p[2] & 0xFFL) << 8) | (p[3] & 0xFFL);
    }
}
