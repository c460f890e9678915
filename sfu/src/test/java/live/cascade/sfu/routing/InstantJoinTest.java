package live.cascade.sfu.routing;

import static live.cascade.sfu.routing.Fixtures.H264_RTX_PT;
import static live.cascade.sfu.routing.Fixtures.VIDEO_RTX_SSRC;
import static live.cascade.sfu.routing.Fixtures.audio;
import static live.cascade.sfu.routing.Fixtures.video;
import static live.cascade.sfu.routing.Sent.payload;
import static live.cascade.sfu.routing.Sent.rtcp;
import static live.cascade.sfu.routing.Sent.withSsrc;
import static live.cascade.sfu.testkit.RtpPacketBuilder.bytes;
import static live.cascade.sfu.testkit.RtpPacketBuilder.rtp;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import live.cascade.sfu.params.HeaderExtensions;
import live.cascade.sfu.receive.RouterDrop;
import live.cascade.sfu.rtcp.RtcpTypes;
import live.cascade.sfu.rtcp.RtcpWriter;
import live.cascade.sfu.rtp.BigEndian;
import live.cascade.sfu.rtp.NtpTime;
import live.cascade.sfu.rtp.RtpHeader;
import live.cascade.sfu.rtp.Timestamps;
import live.cascade.sfu.testkit.ManualClock;
import live.cascade.sfu.transport.MediaReceiver;
import org.junit.jupiter.api.Test;

/** The GOP cache: a viewer that joins mid-GOP starts at the cached keyframe, then runs live without a seam. */
class InstantJoinTest {
    private static final HeaderExtensions VIEWER_EXT = new HeaderExtensions(9, 0, 5, 10, 0, 0);
    private static final byte[] SPS = bytes(0x67, 0x42, 0xC0, 0x1F);
    private static final byte[] PPS = bytes(0x68, 0xCE, 0x3C, 0x80);

    private final ManualClock clock = new ManualClock();
    private Router router;
    private FakeTransport publisher;
    private MediaReceiver ingress;
    /** Every video packet published, by publisher sequence number, to compare payloads. */
    private final List<byte[]> published = new ArrayList<>();
    private int seq = 1000;
    private long ts = 90_000;

    private void start(RouterConfig config) {
        router = new Router("gop", Fixtures.publisher(), RouterListener.NONE, config, clock, new SplittableRandom(9));
        publisher = new FakeTransport();
        ingress = router.attachPublisher(publisher, Fixtures.publisher());
    }

    private void send(byte[] p) { ingress.onRtp(p, 0, p.length); }

    /** One keyframe as an OBS-style SPS, PPS and IDR packet sharing a timestamp. */
    private void keyframe() {
        for (byte[] p : new byte[][] {SPS, PPS, Fixtures.IDR}) {
            byte[] packet = video(seq++, ts, p).build();
            published.add(packet);
            send(packet);
        }
        ts += 3000;
    }

    /** One delta frame of one packet, {@code lost} to simulate loss on the publisher's path. */
    private byte[] delta(boolean lost) {
        byte[] packet = video(seq++, ts, bytes(0x41, 0x9A, seq & 0xFF, seq >> 8)).build();
        ts += 3000;
        published.add(packet);
        if (!lost) send(packet);
        return packet;
    }

    /** 33 ms of real time: a frame, and a tick every other frame. */
    private void frameTime(int frames) {
        for (int i = 0; i < frames; i++) {
            clock.advanceMillis(33);
            delta(false);
            if (i % 2 == 1) router.onTick(clock.nanoTime());
        }
    }

    private ViewerHandle join(FakeTransport t) {
        return router.addViewer(t, Fixtures.viewer(0xA1, 109, 0xA2, 96, "0", "1", VIEWER_EXT));
    }

    /** The publisher packet (by payload) each video packet the viewer got carries. */
    private List<Integer> sourceIndexes(FakeTransport t) {
        List<Integer> out = new ArrayList<>();
        for (RtpHeader h : withSsrc(t, 0xA2)) {
            byte[] p = payload(h);
            int found = -1;
            for (int i = 0; i < published.size(); i++) {
                RtpHeader ph = Sent.parse(published.get(i));
                if (Arrays.equals(payload(ph), p)) found = i;
            }
            out.add(found);
        }
        return out;
    }

    @Test
    void aLateJoinerGetsTheCachedKeyframeAtOnceThenEverythingAfterItWithoutGapOrDuplicate() {
        start(Fixtures.config());
        keyframe();
        // The publisher's video SR (the keyframe's timestamp captured now): viewers' video SRs are derived from it.
        byte[] publisherSr = new byte[64];
        ingress.onRtcp(publisherSr, 0, RtcpWriter.writeSenderReport(publisherSr, 0, Fixtures.VIDEO_SSRC,
                NtpTime.fromEpochNanos(clock.epochNanos()), 90_000, 3, 12, 0));
        for (int i = 0; i < 30; i++) {
            clock.advanceMillis(33);
            delta(false);
        }
        router.onTick(clock.nanoTime());
        publisher.clear();

        FakeTransport late = new FakeTransport();
        ViewerHandle v = join(late);
        send(audio(1, 960).build());
        assertThat(rtcp(publisher, RtcpTypes.PSFB, RtcpTypes.FMT_PLI)).as("no keyframe request needed").isEmpty();
        List<RtpHeader> first = withSsrc(late, 0xA2);
        assertThat(first).as("the whole keyframe at once").hasSize(3);
        assertThat(sourceIndexes(late)).containsExactly(0, 1, 2);
        assertThat(v.stats().tracks().get(1).catchingUp()).isTrue();
        assertThat(withSsrc(late, 0xA1)).as("audio from the live edge").hasSize(1);

        router.onTick(clock.nanoTime());
        assertThat(rtcp(late, RtcpTypes.SR, -1)).as("no video SR during the catch-up")
                .allSatisfy(sr -> assertThat(BigEndian.u32(sr, 4)).isNotEqualTo(0xA2));

        frameTime(30); // 1 s: a GOP of 1 s at 4x catches up in a third of that
        assertThat(v.stats().tracks().get(1).catchingUp()).isFalse();
        List<RtpHeader> all = withSsrc(late, 0xA2);
        List<Integer> sources = sourceIndexes(late);
        for (int i = 0; i < all.size(); i++) {
            assertThat(sources.get(i)).as("packet %d in publisher order", i).isEqualTo(i);
            assertThat(all.get(i).sequenceNumber()).isEqualTo((all.get(0).sequenceNumber() + i) & 0xFFFF);
        }
        assertThat(all).hasSize(published.size());

        // Timestamps: each catch-up frame's is the time it was sent (the second frame went with the pump 33 ms after
        // the keyframe, not at its media time of 33 ms / 4), real time after it, never going back.
        long t0 = all.get(0).timestamp();
        assertThat(Timestamps.diff(all.get(3).timestamp(), t0)).isEqualTo(33 * 90);
        RtpHeader lastTwo = all.get(all.size() - 2);
        RtpHeader last = all.get(all.size() - 1);
        assertThat(Timestamps.diff(last.timestamp(), lastTwo.timestamp())).isEqualTo(3000);
        for (int i = 1; i < all.size(); i++) {
            assertThat(Timestamps.diff(all.get(i).timestamp(), all.get(i - 1).timestamp())).isNotNegative();
        }
        clock.advanceMillis(100);
        router.onTick(clock.nanoTime());
        assertThat(rtcp(late, RtcpTypes.SR, -1)).anySatisfy(sr -> assertThat(BigEndian.u32(sr, 4)).isEqualTo(0xA2));
    }

    @Test
    void aViewerNackForAPacketItMissedInTheCatchUpIsAnsweredWithThatPacket() {
        start(Fixtures.config());
        keyframe();
        for (int i = 0; i < 30; i++) {
            clock.advanceMillis(33);
            delta(false);
        }
        router.onTick(clock.nanoTime());
        FakeTransport late = new FakeTransport();
        ViewerHandle v = join(late);
        frameTime(30); // the catch-up ends
        assertThat(v.stats().tracks().get(1).catchingUp()).isFalse();
        List<RtpHeader> got = withSsrc(late, 0xA2);
        // Say the viewer's socket lost packets 5 and 20 of what it was sent (inside the catch-up) and it NACKs them.
        RtpHeader fifth = got.get(5);
        RtpHeader twentieth = got.get(20);
        late.clear();
        clock.advanceMillis(50);
        byte[] nack = live.cascade.sfu.testkit.RtcpPackets.nack(0xB1, 0xA2, fifth.sequenceNumber(), twentieth.sequenceNumber());
        v.rtcpInput().onRtcp(nack, 0, nack.length);
        List<RtpHeader> resent = withSsrc(late, 0xA2);
        assertThat(resent).extracting(RtpHeader::sequenceNumber)
                .as("retransmissions of the catch-up's packets, as first sent")
                .containsExactly(fifth.sequenceNumber(), twentieth.sequenceNumber());
        assertThat(payload(resent.get(0))).isEqualTo(payload(fifth));
        assertThat(resent.get(0).timestamp()).as("the timestamp it had").isEqualTo(fifth.timestamp());
        assertThat(resent.get(1).timestamp()).isEqualTo(twentieth.timestamp());
    }

    @Test
    void theCachedGroupIsPacedNotBurst() {
        start(Fixtures.config());
        keyframe();
        for (int i = 0; i < 60; i++) delta(false); // 2 s of frames arriving at once (clock not moving)
        FakeTransport late = new FakeTransport();
        join(late);
        assertThat(withSsrc(late, 0xA2)).hasSize(3);
        clock.advanceMillis(100); // 100 ms at 4x: 400 ms of media, 12 frames
        router.onTick(clock.nanoTime());
        assertThat(withSsrc(late, 0xA2)).hasSize(3 + 12);
    }

    @Test
    void aNewKeyframeResetsTheCache() {
        start(Fixtures.config());
        keyframe();
        for (int i = 0; i < 10; i++) delta(false);
        int second = published.size();
        keyframe();
        delta(false);
        FakeTransport late = new FakeTransport();
        join(late);
        assertThat(sourceIndexes(late)).containsExactly(second, second + 1, second + 2);
    }

    @Test
    void aGroupLargerThanTheHistoryIsNotServedAndTheViewerWaitsForAKeyframe() {
        start(Fixtures.config().withHistoryPackets(16));
        keyframe();
        for (int i = 0; i < 20; i++) delta(false);
        clock.advanceMillis(1000);
        router.onTick(clock.nanoTime());
        publisher.clear();
        FakeTransport late = new FakeTransport();
        ViewerHandle v = join(late);
        assertThat(withSsrc(late, 0xA2)).isEmpty();
        assertThat(v.stats().tracks().get(1).waitingForKeyframe()).isTrue();
        assertThat(rtcp(publisher, RtcpTypes.PSFB, RtcpTypes.FMT_PLI)).hasSize(1);
        delta(false);
        assertThat(withSsrc(late, 0xA2)).isEmpty();
        keyframe();
        assertThat(withSsrc(late, 0xA2)).hasSize(3);
    }

    @Test
    void aCatchUpThatFallsBehindTheHistoryFallsBackToWaitingForAKeyframe() {
        start(Fixtures.config().withHistoryPackets(32).withCatchUpSpeed(1));
        keyframe();
        for (int i = 0; i < 24; i++) delta(false);
        FakeTransport late = new FakeTransport();
        ViewerHandle v = join(late);
        for (int frame = 0; frame < 3; frame++) { // big live frames: the history fills faster than real time drains it
            clock.advanceMillis(33);
            for (int k = 0; k < 4; k++) {
                byte[] p = video(seq++, ts, bytes(0x41, 0x9A, frame, k)).build();
                published.add(p);
                send(p);
            }
            ts += 3000;
        }
        assertThat(router.dropCount(RouterDrop.CATCH_UP_OVERRUN)).isEqualTo(1);
        assertThat(v.stats().tracks().get(1).waitingForKeyframe()).isTrue();
        assertThat(rtcp(publisher, RtcpTypes.PSFB, RtcpTypes.FMT_PLI)).hasSize(1);
        List<RtpHeader> before = withSsrc(late, 0xA2);
        keyframe();
        delta(false);
        List<RtpHeader> after = withSsrc(late, 0xA2);
        assertThat(after).hasSize(before.size() + 4);
        assertThat(after.get(before.size()).sequenceNumber()).as("continues without a hole")
                .isEqualTo((before.get(before.size() - 1).sequenceNumber() + 1) & 0xFFFF);
    }

    @Test
    void aPacketLostInTheCachedGroupIsRepairedIntoItsPlaceOnce() {
        start(Fixtures.config());
        keyframe();
        delta(false);
        byte[] lost = delta(true);
        for (int i = 0; i < 5; i++) delta(false);
        FakeTransport early = new FakeTransport(); // joins before the repair: the catch-up skips the hole
        join(early);
        clock.advanceMillis(200);
        router.onTick(clock.nanoTime());
        int beforeRepair = withSsrc(early, 0xA2).size();
        assertThat(beforeRepair).isEqualTo(published.size() - 1);

        RtpHeader l = Sent.parse(lost);
        byte[] osnPayload = new byte[l.payloadLength() + 2];
        BigEndian.put16(osnPayload, 0, l.sequenceNumber());
        System.arraycopy(payload(l), 0, osnPayload, 2, l.payloadLength());
        send(rtp().ssrc(VIDEO_RTX_SSRC).pt(H264_RTX_PT).seq(1).ts(l.timestamp()).payload(osnPayload).build());
        send(rtp().ssrc(VIDEO_RTX_SSRC).pt(H264_RTX_PT).seq(2).ts(l.timestamp()).payload(osnPayload).build());

        List<RtpHeader> got = withSsrc(early, 0xA2);
        assertThat(got).hasSize(published.size());
        int base = got.get(0).sequenceNumber();
        assertThat(got.get(got.size() - 1).sequenceNumber()).as("the repair fills the hole it left")
                .isEqualTo((base + 4) & 0xFFFF);
        assertThat(payload(got.get(got.size() - 1))).isEqualTo(payload(l));

        FakeTransport later = new FakeTransport(); // joins after the repair: it is in the cache in order
        join(later);
        clock.advanceMillis(200);
        router.onTick(clock.nanoTime());
        assertThat(sourceIndexes(later)).containsExactly(0, 1, 2, 3, 4, 5, 6, 7, 8, 9);
    }

    @Test
    void withoutAPublisherOrWithTheCacheDisabledJoinersWait() {
        start(Fixtures.config().withCatchUpSpeed(0));
        keyframe();
        delta(false);
        FakeTransport late = new FakeTransport();
        join(late);
        assertThat(withSsrc(late, 0xA2)).isEmpty();

        start(Fixtures.config());
        keyframe();
        router.detachPublisher();
        FakeTransport away = new FakeTransport();
        join(away);
        assertThat(withSsrc(away, 0xA2)).isEmpty();
    }

    /** A keyframe, then {@code seconds} of one-packet frames with ticks: a browser that was never asked for another. */
    private void oldGroup(int seconds) {
        keyframe();
        frameTime(seconds * 30);
        publisher.clear();
    }

    @Test
    void aCachedKeyframeOlderThanTwoSecondsIsNotServedTheViewerAsksAndStartsAtTheFreshOne() {
        start(Fixtures.config());
        oldGroup(60); // a minute of a still picture fits the history: serving it would start the viewer a minute back
        FakeTransport late = new FakeTransport();
        ViewerHandle v = join(late);
        assertThat(withSsrc(late, 0xA2)).as("nothing from the minute-old group").isEmpty();
        assertThat(rtcp(publisher, RtcpTypes.PSFB, RtcpTypes.FMT_PLI)).as("asked for a fresh keyframe").hasSize(1);
        clock.advanceMillis(80); // the browser answers
        int fresh = published.size();
        keyframe();
        delta(false);
        assertThat(sourceIndexes(late)).containsExactly(fresh, fresh + 1, fresh + 2, fresh + 3);
        assertThat(v.stats().tracks().get(1).catchingUp()).isFalse();
    }

    @Test
    void aPublisherThatIgnoresTheRequestStartsTheViewerFromTheCacheAfterOneSecondAndLaterJoinersAtOnce() {
        start(Fixtures.config());
        oldGroup(5);
        FakeTransport late = new FakeTransport();
        ViewerHandle v = join(late);
        assertThat(rtcp(publisher, RtcpTypes.PSFB, RtcpTypes.FMT_PLI)).hasSize(1);
        frameTime(26); // 0.86 s: still waiting
        assertThat(withSsrc(late, 0xA2)).isEmpty();
        frameTime(6); // past 1 s without a keyframe: the cache after all
        assertThat(v.stats().tracks().get(1).catchingUp()).isTrue();
        assertThat(sourceIndexes(late)).startsWith(0, 1, 2);

        publisher.clear();
        FakeTransport next = new FakeTransport(); // the track is known to ignore requests now
        join(next);
        assertThat(sourceIndexes(next)).startsWith(0, 1, 2);
        assertThat(rtcp(publisher, RtcpTypes.PSFB, RtcpTypes.FMT_PLI)).isEmpty();

        clock.advanceMillis(1500);
        int unasked = published.size();
        oldGroup(3); // the publisher's own keyframe, not an answer: still counted as ignoring requests
        FakeTransport third = new FakeTransport();
        join(third);
        assertThat(sourceIndexes(third)).startsWith(unasked, unasked + 1, unasked + 2);

        byte[] pli = live.cascade.sfu.testkit.RtcpPackets.pli(0xB1, 0xA2);
        v.rtcpInput().onRtcp(pli, 0, pli.length); // a viewer asks, and this time the publisher answers in 80 ms
        assertThat(rtcp(publisher, RtcpTypes.PSFB, RtcpTypes.FMT_PLI)).hasSize(1);
        clock.advanceMillis(80);
        oldGroup(3);
        FakeTransport fourth = new FakeTransport();
        join(fourth);
        assertThat(withSsrc(fourth, 0xA2)).as("the track answers again: a join waits for a fresh keyframe").isEmpty();
        assertThat(rtcp(publisher, RtcpTypes.PSFB, RtcpTypes.FMT_PLI)).hasSize(1);
    }

    @Test
    void anIngestPublisherCannotBeAskedSoItsOldCacheIsServedAtOnce() {
        router = new Router("gop", Fixtures.publisher(), RouterListener.NONE, Fixtures.config(), clock,
                new SplittableRandom(9));
        publisher = new FakeTransport();
        publisher.carriesFeedback = false;
        ingress = router.attachPublisher(publisher, Fixtures.publisher());
        oldGroup(10);
        FakeTransport late = new FakeTransport();
        ViewerHandle v = join(late);
        assertThat(v.stats().tracks().get(1).catchingUp()).isTrue();
        assertThat(sourceIndexes(late)).containsExactly(0, 1, 2);
    }
}
