package live.cascade.sfu.routing;

import static live.cascade.sfu.routing.Fixtures.IDR;
import static live.cascade.sfu.routing.Fixtures.video;
import static live.cascade.sfu.routing.Sent.payload;
import static live.cascade.sfu.routing.Sent.withSsrc;
import static live.cascade.sfu.testkit.RtpPacketBuilder.bytes;
import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.ManagementFactory;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import live.cascade.sfu.params.HeaderExtensions;
import live.cascade.sfu.params.TrackParameters;
import live.cascade.sfu.rtp.BigEndian;
import live.cascade.sfu.rtp.RtpHeader;
import live.cascade.sfu.spread.ChannelSpread;
import live.cascade.sfu.spread.WorkerPipe;
import live.cascade.sfu.testkit.ManualClock;
import live.cascade.sfu.transport.MediaReceiver;
import live.cascade.sfu.transport.MediaTransport;
import org.junit.jupiter.api.Test;

/**
 * A channel router and a relay router joined by a {@link WorkerPipe}, both driven on this thread with the two
 * workers' task queues run by hand: a pipe that overflows drops and counts, the relay NACKs what it missed up the
 * pipe and the publisher's history answers; and the hop allocates nothing per packet.
 */
class SpreadPipeTest {
    private static final HeaderExtensions VIEWER_EXT = new HeaderExtensions(1, 2, 3, 4, 0, 0);

    private final ManualClock clock = new ManualClock();
    private final ArrayDeque<Runnable> originTasks = new ArrayDeque<>(64);
    private final ArrayDeque<Runnable> relayTasks = new ArrayDeque<>(64);

    private final class Bed {
        final Router origin;
        final Router relay;
        final WorkerPipe pipe;
        final MediaReceiver ingress;
        final FakeTransport publisher;

        Bed(int downSlots, boolean record) {
            List<TrackParameters> pipeTracks = ChannelSpread.pipeTracks(Fixtures.publisher(), new SplittableRandom(3));
            origin = new Router("origin", Fixtures.publisher(), RouterListener.NONE, Fixtures.config(), clock, new SplittableRandom(1));
            relay = new Router("relay", pipeTracks, RouterListener.NONE, Fixtures.config(), clock, new SplittableRandom(2));
            publisher = new FakeTransport(record);
            ingress = origin.attachPublisher(publisher, Fixtures.publisher());
            pipe = new WorkerPipe(originTasks::add, Runnable::run, relayTasks::add, Runnable::run, downSlots, 16,
                    1500 + MediaTransport.SRTP_TAIL_ROOM);
            pipe.bindRelay(relay.attachPublisher(pipe.relaySide(), pipeTracks));
            pipe.bindOrigin(origin.addPipe(pipe.originSide(), pipeTracks).rtcpInput());
        }

        void runTasks() {
            while (!originTasks.isEmpty() || !relayTasks.isEmpty()) {
                Runnable r;
                while ((r = relayTasks.poll()) != null) r.run();
                while ((r = originTasks.poll()) != null) r.run();
            }
        }
    }

    @Test
    void aFullPipeDropsAndCountsAndTheRelayGetsTheMissingPacketsFromThePublishersHistory() {
        Bed bed = new Bed(4, true);
        FakeTransport far = new FakeTransport();
        bed.relay.addViewer(far, Fixtures.viewer(0xB1, 109, 0xB2, 96, "0", "1", VIEWER_EXT));

        List<byte[]> payloads = new ArrayList<>();
        for (int i = 0; i < 10; i++) payloads.add(i == 0 ? IDR : bytes(0x41, 0x9A, i, 0x11));
        // Ten packets in one burst while the relay worker is busy: four fit, six are dropped and counted.
        for (int i = 0; i < 10; i++) {
            byte[] p = video(300 + i, 3000L * i, payloads.get(i)).build();
            bed.ingress.onRtp(p, 0, p.length);
        }
        assertThat(bed.pipe.droppedToRelay()).isEqualTo(6);
        bed.runTasks();
        assertThat(withSsrc(far, 0xB2)).hasSize(4);

        // The relay notices the gap when the next packets arrive, NACKs up the pipe, and the origin answers from the
        // publisher's history with RTX down the pipe; the relay unwraps it and its viewer gets every packet.
        for (int round = 0; round < 20 && withSsrc(far, 0xB2).size() < 12; round++) {
            if (round < 2) {
                byte[] p = video(310 + round, 3000L * (10 + round), bytes(0x41, 0x9A, 10 + round, 0x11)).build();
                bed.ingress.onRtp(p, 0, p.length);
                payloads.add(bytes(0x41, 0x9A, 10 + round, 0x11));
            }
            bed.runTasks();
            clock.advanceMillis(20);
            bed.relay.onTick(clock.nanoTime());
            bed.origin.onTick(clock.nanoTime());
            bed.runTasks();
        }
        List<RtpHeader> got = withSsrc(far, 0xB2);
        Set<String> gotPayloads = new HashSet<>();
        for (RtpHeader h : got) gotPayloads.add(java.util.Arrays.toString(payload(h)));
        Set<String> sent = new HashSet<>();
        for (byte[] p : payloads) sent.add(java.util.Arrays.toString(p));
        assertThat(gotPayloads).as("every packet reached the far viewer, the dropped ones repaired").isEqualTo(sent);
        assertThat(got).hasSize(12);
        assertThat(bed.publisher.rtcp.stream().noneMatch(r -> (r[1] & 0xFF) == 205 && (r[0] & 0x1F) == 1))
                .as("the publisher was not asked: the history had it").isTrue();
    }

    @Test
    void theHopAllocatesNothingPerPacket() {
        com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        assertThat(mx.isThreadAllocatedMemorySupported()).isTrue();
        mx.setThreadAllocatedMemoryEnabled(true);
        Bed bed = new Bed(512, false);
        FakeTransport near = new FakeTransport(false);
        FakeTransport far = new FakeTransport(false);
        bed.origin.addViewer(near, Fixtures.viewer(0xA1, 109, 0xA2, 96, "0", "1", VIEWER_EXT));
        bed.relay.addViewer(far, Fixtures.viewer(0xB1, 109, 0xB2, 96, "0", "1", VIEWER_EXT));
        byte[] key = video(0, 0, IDR).build();
        byte[] delta = video(0, 0, new byte[1100]).build();
        delta[delta.length - 1100] = 0x41;
        byte[] audio = Fixtures.audio(0, 0).build();
        int[] seq = {20_000, 1};
        Runnable run = () -> {
            for (int n = 0; n < 100_000; n++) {
                clock.advanceNanos(1_000_000L);
                byte[] p;
                if (n % 4 == 3) {
                    p = audio;
                    BigEndian.put16(p, 2, seq[1]++ & 0xFFFF);
                    BigEndian.put32(p, 4, 960L * seq[1] & 0xFFFF_FFFFL);
                } else {
                    p = n % 300 == 0 ? key : delta;
                    BigEndian.put16(p, 2, seq[0]++ & 0xFFFF);
                    BigEndian.put32(p, 4, 3000L * (n / 4) & 0xFFFF_FFFFL);
                }
                bed.ingress.onRtp(p, 0, p.length);
                if (n % 8 == 7) bed.runTasks();
                if (n % 50 == 0) {
                    bed.origin.onTick(clock.nanoTime());
                    bed.relay.onTick(clock.nanoTime());
                }
            }
            bed.runTasks();
        };
        run.run();
        long farBefore = far.rtpCount;
        long before = mx.getCurrentThreadAllocatedBytes();
        run.run();
        long allocated = mx.getCurrentThreadAllocatedBytes() - before;
        System.out.printf("spread hop allocation: %d bytes for 100000 publisher packets%n", allocated);
        assertThat(far.rtpCount - farBefore).as("every packet reached the far viewer").isEqualTo(100_000);
        assertThat(bed.pipe.droppedToRelay()).isZero();
        assertThat(allocated).as("nothing per packet (a single allocation per packet would be ≥ 1.6 MB)").isLessThan(16 * 1024);
    }
}
