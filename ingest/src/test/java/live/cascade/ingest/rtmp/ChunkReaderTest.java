package live.cascade.ingest.rtmp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ChunkReaderTest {
    private final ChunkReader reader = new ChunkReader();
    private final List<RtmpMessage> got = new ArrayList<>();

    private void feed(ByteBuf in) {
        reader.read(in, got::add);
    }

    @Test
    void reassemblesAMessageSplitIntoChunksOf128Bytes() {
        byte[] video = Chunks.filled(1000, 1);
        feed(Chunks.start().message(6, 40, RtmpMessage.VIDEO, 1, video, 128).buf());
        assertThat(got).hasSize(1);
        assertThat(got.get(0).type()).isEqualTo(RtmpMessage.VIDEO);
        assertThat(got.get(0).streamId()).isEqualTo(1);
        assertThat(got.get(0).timestamp()).isEqualTo(40);
        assertThat(got.get(0).payload()).isEqualTo(video);
    }

    @Test
    void setChunkSizeTo4096TakesEffectForTheNextChunk() {
        byte[] big = Chunks.filled(10_000, 2);
        feed(Chunks.start().setChunkSize(4096).message(6, 0, RtmpMessage.VIDEO, 1, big, 4096).buf());
        assertThat(reader.chunkSize()).isEqualTo(4096);
        assertThat(got).singleElement().satisfies(m -> assertThat(m.payload()).isEqualTo(big));
    }

    @Test
    void interleavedChunkStreamsEachKeepTheirOwnPartialMessage() {
        byte[] video = Chunks.filled(300, 3);
        byte[] audio = Chunks.filled(200, 4);
        ByteBuf in = Chunks.start()
                .type0(6, 1000, video.length, RtmpMessage.VIDEO, 1).bytes(video, 0, 128)
                .type0(4, 1010, audio.length, RtmpMessage.AUDIO, 1).bytes(audio, 0, 128)
                .type3(6).bytes(video, 128, 128)
                .type3(4).bytes(audio, 128, 72)
                .type3(6).bytes(video, 256, 44)
                .buf();
        feed(in);
        assertThat(got).extracting(RtmpMessage::type).containsExactly(RtmpMessage.AUDIO, RtmpMessage.VIDEO);
        assertThat(got.get(0).payload()).isEqualTo(audio);
        assertThat(got.get(0).timestamp()).isEqualTo(1010);
        assertThat(got.get(1).payload()).isEqualTo(video);
        assertThat(got.get(1).timestamp()).isEqualTo(1000);
    }

    @Test
    void type1And2HeadersAddDeltasAndType3RepeatsTheLastDelta() {
        byte[] a = Chunks.filled(10, 5);
        ByteBuf in = Chunks.start()
                .type0(4, 100, 10, RtmpMessage.AUDIO, 1).bytes(a)
                .type1(4, 23, 10, RtmpMessage.AUDIO).bytes(a)   // 123
                .type2(4, 21).bytes(a)                            // 144
                .type3(4).bytes(a)                                // 165: type 3 starting a message repeats the delta
                .buf();
        feed(in);
        assertThat(got).extracting(RtmpMessage::timestamp).containsExactly(100L, 123L, 144L, 165L);
    }

    @Test
    void extendedTimestampsAlsoFollowType3ContinuationHeaders() {
        long ts = 0x1_2345_678L & 0xFFFF_FFFFL;
        byte[] p = Chunks.filled(300, 6);
        feed(Chunks.start().message(6, ts, RtmpMessage.VIDEO, 1, p, 128).buf());
        assertThat(got).singleElement().satisfies(m -> {
            assertThat(m.timestamp()).isEqualTo(ts);
            assertThat(m.payload()).isEqualTo(p);
        });
    }

    @Test
    void twoAndThreeByteBasicHeadersAddressHighChunkStreamIds() {
        byte[] p = Chunks.filled(20, 7);
        feed(Chunks.start().message(100, 5, RtmpMessage.VIDEO, 1, p, 128).message(1000, 6, RtmpMessage.AUDIO, 1, p, 128).buf());
        assertThat(got).extracting(RtmpMessage::type).containsExactly(RtmpMessage.VIDEO, RtmpMessage.AUDIO);
    }

    @Test
    void anIncompleteChunkIsLeftInTheBufferUntilTheRestArrives() {
        byte[] p = Chunks.filled(300, 8);
        byte[] all = Chunks.start().message(6, 0, RtmpMessage.VIDEO, 1, p, 128).toArray();
        ByteBuf in = Unpooled.buffer();
        for (byte b : all) {
            in.writeByte(b);
            feed(in);
            in.discardReadBytes();
        }
        assertThat(got).singleElement().satisfies(m -> assertThat(m.payload()).isEqualTo(p));
        assertThat(reader.bytesRead()).isEqualTo(all.length);
    }

    @Test
    void abortDropsTheChunkStreamsPartialMessage() {
        byte[] p = Chunks.filled(300, 9);
        ByteBuf in = Chunks.start()
                .type0(6, 0, 300, RtmpMessage.VIDEO, 1).bytes(p, 0, 128)
                .type0(2, 0, 4, RtmpMessage.ABORT, 0).int32(6)
                .message(6, 33, RtmpMessage.VIDEO, 1, Chunks.filled(50, 1), 128)
                .buf();
        feed(in);
        assertThat(got).singleElement().satisfies(m -> assertThat(m.payload()).hasSize(50));
    }

    @Test
    void aChunkStreamThatStartsWithoutAFullHeaderIsMalformed() {
        assertThatThrownBy(() -> feed(Chunks.start().type1(9, 10, 10, RtmpMessage.AUDIO).bytes(new byte[10]).buf()))
                .isInstanceOf(RtmpProtocolException.class).hasMessageContaining("starts with a type 1 header");
    }

    @Test
    void aNewHeaderInTheMiddleOfAMessageIsMalformed() {
        ByteBuf in = Chunks.start().type0(6, 0, 300, RtmpMessage.VIDEO, 1).bytes(new byte[128])
                .type1(6, 10, 20, RtmpMessage.VIDEO).bytes(new byte[20]).buf();
        assertThatThrownBy(() -> feed(in)).isInstanceOf(RtmpProtocolException.class).hasMessageContaining("mid-message");
    }

    @Test
    void messagesLargerThanTheLimitAndAbsurdChunkSizesAreRefused() {
        assertThatThrownBy(() -> feed(Chunks.start().type0(6, 0, ChunkReader.MAX_MESSAGE + 1, RtmpMessage.VIDEO, 1).buf()))
                .isInstanceOf(RtmpProtocolException.class);
        assertThatThrownBy(() -> new ChunkReader().read(Chunks.start().setChunkSize(0).buf(), m -> { }))
                .isInstanceOf(RtmpProtocolException.class).hasMessageContaining("chunk size");
    }

    @Test
    void writerOutputReadsBackAtAnyChunkSize() {
        for (int size : new int[] {1, 128, 4096}) {
            ChunkWriter w = new ChunkWriter();
            w.chunkSize(size);
            ChunkReader r = new ChunkReader();
            ByteBuf buf = Unpooled.buffer();
            if (size != 128) buf.writeBytes(Chunks.start().setChunkSize(size).buf());
            byte[] p = Chunks.filled(5000, size);
            w.write(5, new RtmpMessage(RtmpMessage.COMMAND_AMF0, 1, 0x1000000L, p), buf);
            List<RtmpMessage> out = new ArrayList<>();
            r.read(buf, out::add);
            assertThat(out).singleElement().satisfies(m -> {
                assertThat(m.payload()).isEqualTo(p);
                assertThat(m.timestamp()).isEqualTo(0x1000000L);
            });
        }
    }
}
