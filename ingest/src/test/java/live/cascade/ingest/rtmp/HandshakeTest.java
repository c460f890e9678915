package live.cascade.ingest.rtmp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class HandshakeTest {
    @Test
    void answersC0C1WithS0S1S2EchoingC1ThenWaitsForC2() {
        Handshake h = new Handshake();
        byte[] c1 = Chunks.filled(Handshake.SIZE, 11);
        // FFmpeg's C1 carries a non-zero version (digest handshake); OBS's is zero: both get the plain answer.
        c1[4] = 9; c1[5] = 0; c1[6] = 124; c1[7] = 2;
        ByteBuf in = Unpooled.buffer().writeByte(3).writeBytes(c1, 0, 1000);
        assertThat(h.consume(in)).isNull();
        in.writeBytes(c1, 1000, Handshake.SIZE - 1000);
        byte[] reply = h.consume(in);
        assertThat(reply).hasSize(1 + 2 * Handshake.SIZE);
        assertThat(reply[0]).isEqualTo((byte) 3);
        assertThat(Arrays.copyOfRange(reply, 5, 9)).as("S1 version: zero, no digest").containsOnly(0);
        assertThat(Arrays.copyOfRange(reply, 1 + Handshake.SIZE, reply.length)).as("S2 echoes C1").isEqualTo(c1);
        assertThat(h.step()).isEqualTo(Handshake.Step.AWAIT_C2);
        in.writeBytes(new byte[Handshake.SIZE + 5]);
        assertThat(h.consume(in)).isNull();
        assertThat(h.step()).isEqualTo(Handshake.Step.DONE);
        assertThat(in.readableBytes()).as("bytes after C2 are the first chunk, left for the chunk reader").isEqualTo(5);
    }

    @Test
    void refusesOtherVersions() {
        ByteBuf in = Unpooled.buffer().writeByte('G').writeBytes(new byte[Handshake.SIZE]); // "GET / HTTP/1.1"…
        assertThatThrownBy(() -> new Handshake().consume(in)).isInstanceOf(RtmpProtocolException.class);
    }
}
