package live.cascade.sfu.net;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.channel.socket.DatagramPacket;
import io.netty.util.ReferenceCountUtil;
import java.net.InetSocketAddress;
import java.util.HashMap;
import org.junit.jupiter.api.Test;

/**
 * The worker's batched writer against a channel with the worker's water marks: what one read batch writes must not
 * make the channel unwritable by itself (its own later sends would be dropped while the socket had room), and a socket
 * that really does not drain must still read as full.
 */
class DatagramWriterTest {
    private static final WriteBufferWaterMark MARKS = new WriteBufferWaterMark(1024 * 1024, 2 * 1024 * 1024);
    private static final int DATAGRAM = 1_300;
    /** One read batch after the worker was descheduled: 16 publisher packets, each to 200 viewers (4.2 MB). */
    private static final int PACKETS = 16;
    private static final int VIEWERS = 200;

    private static final class FlushCounter extends ChannelOutboundHandlerAdapter {
        final boolean passOn;
        int flushes;

        FlushCounter(boolean passOn) { this.passOn = passOn; }

        @Override
        public void flush(ChannelHandlerContext ctx) {
            flushes++;
            if (passOn) ctx.flush(); // when false: a socket that takes nothing, so what was written stays queued
        }
    }

    private record Outcome(int sent, int refused, int flushes) {}

    /** Writes one batch as {@code SrtpSender} does: a send is refused and counted while the writer is not writable. */
    private static Outcome oneBatch(long flushAtBytes, boolean socketDrains) {
        FlushCounter flushes = new FlushCounter(socketDrains);
        EmbeddedChannel channel = new EmbeddedChannel(flushes);
        channel.config().setOption(ChannelOption.WRITE_BUFFER_WATER_MARK, MARKS);
        PacketCounters counters = new PacketCounters();
        DatagramWriter writer = new DatagramWriter(channel, channel.eventLoop(), counters, new HashMap<>(), flushAtBytes);
        int refused = 0;
        writer.beginRead();
        for (int p = 0; p < PACKETS; p++) {
            for (int v = 0; v < VIEWERS; v++) {
                if (!writer.writable()) {
                    refused++;
                    continue;
                }
                writer.write(new DatagramPacket(Unpooled.wrappedBuffer(new byte[DATAGRAM]), new InetSocketAddress("127.0.0.1", 10_000 + v)));
            }
        }
        writer.endRead();
        int flushCount = flushes.flushes;
        if (!socketDrains) {
            // The socket takes its queue at last: what was accepted was kept, not lost.
            channel.pipeline().remove(flushes);
            channel.flush();
        }
        int sent = 0;
        for (Object out; (out = channel.readOutbound()) != null; sent++) ReferenceCountUtil.release(out);
        channel.finishAndReleaseAll();
        assertThat(counters.get(Counter.TX_DATAGRAMS)).isEqualTo(PACKETS * VIEWERS - refused);
        return new Outcome(sent, refused, flushCount);
    }

    @Test
    void aBatchLargerThanTheHighWaterMarkIsFlushedAsItGrowsSoNoneOfItsOwnSendsIsRefused() {
        Outcome batch = oneBatch(MARKS.low() / 2, true);

        assertThat(batch.refused()).isZero();
        assertThat(batch.sent()).isEqualTo(PACKETS * VIEWERS);
        // 4.2 MB in flushes of at most 512 KB, and the batch's own at its end.
        assertThat(batch.flushes()).isBetween(8, 10);
    }

    @Test
    void heldUntilTheBatchEndsTheSameSendsWouldHaveBeenRefused() {
        // The batch the test above writes is one that matters: flushed only at its end, Netty's count of unflushed
        // bytes passes the high mark and the writer refuses the rest while the socket had room.
        Outcome batch = oneBatch(Long.MAX_VALUE, true);

        assertThat(batch.refused()).isGreaterThan(PACKETS * VIEWERS / 2);
        assertThat(batch.flushes()).isEqualTo(1);
    }

    @Test
    void aSocketThatTakesNothingStillReadsAsFullAtTheHighMark() {
        Outcome batch = oneBatch(MARKS.low() / 2, false);

        // What was taken before the refusals is what fits under the high mark (Netty adds a little per entry).
        int accepted = PACKETS * VIEWERS - batch.refused();
        assertThat(accepted).isBetween(MARKS.high() / (DATAGRAM + 200), MARKS.high() / DATAGRAM + 1);
        assertThat(batch.sent()).isEqualTo(accepted);
    }
}
