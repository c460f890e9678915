package live.cascade.ingest.rtmp;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import live.cascade.ingest.IngestGate;
import live.cascade.ingest.StreamPublisher;
import live.cascade.ingest.StreamPublishers;
import live.cascade.signaling.session.ChannelRef;
import org.junit.jupiter.api.Test;

/** A publisher's whole command sequence, byte for byte through the Netty handler, as FFmpeg and OBS send it. */
class RtmpConnectionTest {
    static final String KEY = "sk_good";

    final List<String> events = new ArrayList<>();
    final List<StreamPublishers.PublishEvents> listeners = new ArrayList<>();
    final RtmpCounters counters = new RtmpCounters();
    final IngestGate gate = key -> KEY.equals(key) ? new IngestGate.Admitted(new ChannelRef(7, "seven"))
            : new IngestGate.Refused(IngestGate.Reason.UNKNOWN_KEY, "This stream key belongs to no channel.");
    final StreamPublishers publishers = (channel, ev, thread) -> {
        listeners.add(ev);
        events.add("open " + channel.slug());
        return new StreamPublisher() {
            @Override public void video(long ts, byte[] tag) { events.add("video " + ts + " " + tag.length); }
            @Override public void audio(long ts, byte[] tag) { events.add("audio " + ts + " " + tag.length); }
            @Override public void close() { events.add("close"); }
        };
    };
    final EmbeddedChannel channel = new EmbeddedChannel(new RtmpConnection(gate, publishers, counters, Runnable::run));
    final ChunkReader serverSide = new ChunkReader();
    int chunkSize = 128;

    void handshake() {
        byte[] c1 = Chunks.filled(Handshake.SIZE, 1);
        channel.writeInbound(Unpooled.buffer().writeByte(3).writeBytes(c1));
        ByteBuf s = channel.readOutbound();
        assertThat(s.readableBytes()).isEqualTo(1 + 2 * Handshake.SIZE);
        s.release();
        channel.writeInbound(Unpooled.wrappedBuffer(new byte[Handshake.SIZE]));
    }

    void send(int csid, int type, int streamId, long ts, byte[] payload) {
        channel.writeInbound(Chunks.start().message(csid, ts, type, streamId, payload, chunkSize).buf());
        channel.runPendingTasks();
    }

    void command(int streamId, Object... values) {
        send(3, RtmpMessage.COMMAND_AMF0, streamId, 0, Amf0.encode(values));
    }

    /** Every command the server wrote since the last call, decoded. */
    List<List<Object>> replies() {
        ByteBuf all = Unpooled.buffer();
        for (ByteBuf b; (b = channel.readOutbound()) != null; ) {
            all.writeBytes(b);
            b.release();
        }
        List<List<Object>> out = new ArrayList<>();
        serverSide.read(all, m -> {
            if (m.type() == RtmpMessage.COMMAND_AMF0) out.add(Amf0.decode(m.payload()));
            else out.add(List.of("type " + m.type()));
        });
        return out;
    }

    static Object code(List<Object> onStatus) {
        return ((Map<?, ?>) onStatus.get(3)).get("code");
    }

    @Test
    void ffmpegsSequencePublishesToTheChannelOfTheStreamKey() {
        handshake();
        Map<String, Object> app = new LinkedHashMap<>();
        app.put("app", "live");
        app.put("tcUrl", "rtmp://127.0.0.1:1935/live");
        command(0, "connect", 1.0, app);
        List<List<Object>> r = replies();
        assertThat(r).extracting(l -> l.get(0)).containsExactly("type 5", "type 6", "_result");
        assertThat(serverSide.chunkSize()).as("the server's Set Chunk Size applied").isEqualTo(4096);
        assertThat(((Map<?, ?>) r.get(2).get(3)).get("code")).isEqualTo("NetConnection.Connect.Success");

        send(2, RtmpMessage.SET_CHUNK_SIZE, 0, 0, RtmpConnection.int32(4096));
        chunkSize = 4096;
        command(0, "releaseStream", 2.0, null, KEY);
        command(0, "FCPublish", 3.0, null, KEY);
        command(0, "createStream", 4.0, null);
        r = replies();
        assertThat(r).extracting(l -> l.get(0)).containsExactly("_result", "_result", "_result");
        assertThat(r.get(2)).containsExactly("_result", 4.0, null, 1.0);

        command(1, "publish", 5.0, null, KEY, "live");
        r = replies();
        assertThat(r).singleElement().satisfies(s -> {
            assertThat(s.get(0)).isEqualTo("onStatus");
            assertThat(code(s)).isEqualTo("NetStream.Publish.Start");
        });
        assertThat(events).containsExactly("open seven");
        assertThat(listeners.getFirst().protocol()).isEqualTo("rtmp");

        send(4, RtmpMessage.DATA_AMF0, 1, 0, Amf0.encode("@setDataFrame", "onMetaData", Map.of("width", 640.0)));
        send(6, RtmpMessage.VIDEO, 1, 0, Chunks.filled(9000, 2));
        send(4, RtmpMessage.AUDIO, 1, 21, Chunks.filled(300, 3));
        command(0, "FCUnpublish", 6.0, null, KEY);
        command(0, "deleteStream", 7.0, null, 1.0);
        assertThat(events).containsExactly("open seven", "video 0 9000", "audio 21 300", "close");
        assertThat(counters.publishes()).isEqualTo(1);
        assertThat(channel.isActive()).isTrue();
    }

    @Test
    void aWrongKeyGetsAnErrorStatusAndTheConnectionCloses() {
        handshake();
        command(0, "connect", 1.0, Map.of("app", "live"));
        command(0, "createStream", 2.0, null);
        replies();
        command(1, "publish", 3.0, null, "sk_wrong?obs=1", "live");
        List<List<Object>> r = replies();
        assertThat(r).singleElement().satisfies(s -> {
            assertThat(code(s)).isEqualTo("NetStream.Publish.BadName");
            assertThat(((Map<?, ?>) s.get(3)).get("level")).isEqualTo("error");
        });
        assertThat(channel.isActive()).isFalse();
        assertThat(events).isEmpty();
        assertThat(counters.refused(IngestGate.Reason.UNKNOWN_KEY)).isEqualTo(1);
    }

    @Test
    void theNodeEndingThePublishClosesTheConnectionAndAWarningReachesTheEncoder() {
        handshake();
        command(0, "connect", 1.0, Map.of("app", "live"));
        command(0, "createStream", 2.0, null);
        command(1, "publish", 3.0, null, KEY, "live");
        replies();
        listeners.getFirst().warning("NetStream.Publish.BFrames", "turn B-frames off");
        assertThat(replies()).singleElement().satisfies(s -> assertThat(code(s)).isEqualTo("NetStream.Publish.BFrames"));
        listeners.getFirst().ended("The channel's owner stopped the stream.");
        assertThat(replies()).singleElement().satisfies(s -> assertThat(code(s)).isEqualTo("NetStream.Unpublish.Success"));
        assertThat(channel.isActive()).isFalse();
    }

    @Test
    void aPublishTheNodeCannotTakeAfterAllIsRefusedWithAnErrorAndCounted() {
        handshake();
        command(0, "connect", 1.0, Map.of("app", "live"));
        command(0, "createStream", 2.0, null);
        command(1, "publish", 3.0, null, KEY, "live");
        replies();
        listeners.getFirst().refused("This node carries its limit of 1 publishers at once.");
        assertThat(replies()).singleElement().satisfies(s -> assertThat(code(s)).isEqualTo("NetStream.Publish.Denied"));
        assertThat(channel.isActive()).isFalse();
        assertThat(counters.refused(IngestGate.Reason.NODE_FULL)).isEqualTo(1);
        assertThat(counters.publishes()).isZero();
    }

    @Test
    void aMalformedChunkClosesTheConnectionAndIsCounted() {
        handshake();
        channel.writeInbound(Chunks.start().type1(9, 10, 10, RtmpMessage.AUDIO).bytes(new byte[10]).buf());
        assertThat(channel.isActive()).isFalse();
        assertThat(counters.protocolErrors()).isEqualTo(1);
    }

    @Test
    void unknownCommandsExpectingAnAnswerGetAnErrorAndTheConnectionStays() {
        handshake();
        command(0, "connect", 1.0, Map.of("app", "live"));
        replies();
        command(0, "_checkbw", 2.0, null);
        assertThat(replies()).singleElement().satisfies(s -> assertThat(s.get(0)).isEqualTo("_error"));
        assertThat(channel.isActive()).isTrue();
    }
}
