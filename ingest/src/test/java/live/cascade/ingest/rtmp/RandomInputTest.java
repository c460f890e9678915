package live.cascade.ingest.rtmp;

import static org.assertj.core.api.Assertions.assertThatCode;

import io.netty.buffer.Unpooled;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Whatever arrives, the codec either frames it or throws its one protocol exception: never anything else. */
class RandomInputTest {
    @Test
    void randomBytesNeverThrowAnythingButAProtocolError() {
        SplittableRandom random = new SplittableRandom(23);
        for (int i = 0; i < 5_000; i++) {
            byte[] junk = new byte[random.nextInt(1, 600)];
            random.nextBytes(junk);
            // Bias some inputs toward plausible headers so the deeper paths run too.
            if (i % 2 == 0) junk[0] = (byte) (random.nextInt(4) << 6 | random.nextInt(2, 8));
            assertThatCode(() -> {
                try {
                    new ChunkReader().read(Unpooled.wrappedBuffer(junk), m -> Amf0.decode(m.payload()));
                } catch (RtmpProtocolException expected) {
                    // fine
                }
                try {
                    Amf0.decode(junk);
                } catch (RtmpProtocolException expected) {
                    // fine
                }
            }).doesNotThrowAnyException();
        }
    }

    @Test
    void mutatedValidStreamsNeverThrowAnythingButAProtocolError() {
        SplittableRandom random = new SplittableRandom(7);
        byte[] valid = Chunks.start().setChunkSize(256)
                .message(3, 0, RtmpMessage.COMMAND_AMF0, 0, Amf0Test.FFMPEG_CONNECT, 256)
                .message(6, 40, RtmpMessage.VIDEO, 1, Chunks.filled(900, 3), 256)
                .message(4, 45, RtmpMessage.AUDIO, 1, Chunks.filled(200, 4), 256).toArray();
        for (int i = 0; i < 5_000; i++) {
            byte[] m = valid.clone();
            for (int k = random.nextInt(1, 6); k > 0; k--) m[random.nextInt(m.length)] = (byte) random.nextInt(256);
            assertThatCode(() -> {
                try {
                    new ChunkReader().read(Unpooled.wrappedBuffer(m), msg -> {
                        if (msg.type() == RtmpMessage.COMMAND_AMF0) Amf0.decode(msg.payload());
                    });
                } catch (RtmpProtocolException expected) {
                    // fine
                }
            }).doesNotThrowAnyException();
        }
    }
}
