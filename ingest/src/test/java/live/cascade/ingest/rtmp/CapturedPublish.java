package live.cascade.ingest.rtmp;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import live.cascade.ingest.IngestGate;
import live.cascade.ingest.StreamPublisher;
import live.cascade.ingest.StreamPublishers;
import live.cascade.signaling.session.ChannelRef;

/**
 * What an {@link RtmpConnection} made of a captured client byte stream (an encoder's whole publish) fed to it in
 * random slices: the keys it checked, the tags it published, what ended the publish, the onStatus codes it sent, and
 * its counters. Shared by the tests of each encoder's capture.
 */
record CapturedPublish(List<String> keys, List<byte[]> video, List<byte[]> audio, List<String> events,
                       List<Object> statusCodes, RtmpCounters counters, boolean active) {

    /** A capture from the test resources, e.g. {@code /rtmp/ffmpeg-publish.bin}. */
    static byte[] resource(String path) throws IOException {
        try (InputStream in = CapturedPublish.class.getResourceAsStream(path)) {
            if (in == null) throw new IOException("no test resource " + path);
            return in.readAllBytes();
        }
    }

    /** Feeds {@code bytes} in slices of 1–699 bytes chosen by {@code seed}; every key is admitted. */
    static CapturedPublish replay(byte[] bytes, long seed) {
        List<String> events = new ArrayList<>();
        List<byte[]> video = new ArrayList<>();
        List<byte[]> audio = new ArrayList<>();
        List<String> keys = new ArrayList<>();
        IngestGate gate = key -> {
            keys.add(key);
            return new IngestGate.Admitted(new ChannelRef(1, "c"));
        };
        StreamPublishers publishers = (c, ev, t) -> new StreamPublisher() {
            @Override public void video(long ts, byte[] tag) { video.add(tag); }
            @Override public void audio(long ts, byte[] tag) { audio.add(tag); }
            @Override public void close() { events.add("close"); }
        };
        RtmpCounters counters = new RtmpCounters();
        EmbeddedChannel ch = new EmbeddedChannel(new RtmpConnection(gate, publishers, counters, Runnable::run));
        SplittableRandom r = new SplittableRandom(seed);
        for (int off = 0; off < bytes.length; ) {
            int n = Math.min(bytes.length - off, r.nextInt(1, 700));
            ch.writeInbound(Unpooled.wrappedBuffer(bytes, off, n));
            ch.runPendingTasks();
            off += n;
        }
        return new CapturedPublish(keys, video, audio, events, statusCodes(ch), counters, ch.isActive());
    }

    private static List<Object> statusCodes(EmbeddedChannel ch) {
        ByteBuf all = Unpooled.buffer();
        for (ByteBuf b; (b = ch.readOutbound()) != null; ) {
            all.writeBytes(b);
            b.release();
        }
        all.skipBytes(1 + 2 * Handshake.SIZE);
        List<Object> codes = new ArrayList<>();
        new ChunkReader().read(all, m -> {
            if (m.type() != RtmpMessage.COMMAND_AMF0) return;
            List<Object> v = Amf0.decode(m.payload());
            if ("onStatus".equals(v.getFirst())) codes.add(((Map<?, ?>) v.get(3)).get("code"));
        });
        return codes;
    }
}
