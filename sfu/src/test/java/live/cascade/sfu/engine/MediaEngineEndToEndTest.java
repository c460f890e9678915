package live.cascade.sfu.engine;

import static live.cascade.sfu.testkit.RtpPacketBuilder.rtp;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import live.cascade.sfu.dtls.DtlsCertificate;
import live.cascade.sfu.net.MediaWorker;
import live.cascade.sfu.net.PeerSrtp;
import live.cascade.sfu.net.PeerTransport;
import live.cascade.sfu.net.RecordingListener;
import live.cascade.sfu.net.RecordingReceiver;
import live.cascade.sfu.net.TestPeer;
import live.cascade.sfu.net.TransportState;
import live.cascade.sfu.params.DtlsFingerprint;
import live.cascade.sfu.params.DtlsRole;
import live.cascade.sfu.params.SrtpProfile;
import live.cascade.sfu.params.TransportParameters;
import live.cascade.sfu.testkit.RtcpPackets;
import live.cascade.sfu.transport.MediaTransport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The whole secured transport against an independent peer over loopback UDP: ICE check, DTLS in both roles with
 * fingerprint checks, then SRTP/SRTCP both ways under both profiles.
 */
class MediaEngineEndToEndTest {
    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

    private static MediaEngine engine;
    private MediaWorker worker;
    private TestPeer peer;
    private RecordingListener events;

    @BeforeAll
    static void startEngine() {
        engine = MediaEngine.start(MediaEngineConfig.defaults().withBindAddress(LOOPBACK).withBasePort(0)
                .withWorkerCount(1).withAdvertisedAddresses(List.of(LOOPBACK)));
    }

    @AfterAll
    static void stopEngine() {
        engine.close();
    }

    @BeforeEach
    void setUp() throws Exception {
        worker = engine.worker(0);
        peer = new TestPeer();
        events = new RecordingListener();
    }

    @AfterEach
    void tearDown() {
        peer.close();
    }

    @ParameterizedTest(name = "we are DTLS {0}, {1}")
    @CsvSource({
            "SERVER, AES_CM_128_HMAC_SHA1_80",
            "SERVER, AEAD_AES_128_GCM",
            "CLIENT, AES_CM_128_HMAC_SHA1_80",
            "CLIENT, AEAD_AES_128_GCM"})
    void srtpFlowsBothWaysAfterIceAndDtls(DtlsRole ourRole, SrtpProfile profile) throws Exception {
        PeerTransport transport = engine.createTransport(
                new TransportParameters(peer.ice(), peer.fingerprint(), ourRole), worker, events);
        RecordingReceiver receiver = new RecordingReceiver();
        transport.setReceiver(receiver);

        PeerSrtp srtp = connect(transport, ourRole, new int[] {profile.id()});

        assertThat(transport.srtpProfile()).isEqualTo(profile);
        assertThat(transport.state()).isEqualTo(TransportState.SECURE);
        assertThat(events.lastThread).startsWith("media-worker-0");

        // peer -> engine: decrypted RTP and RTCP reach the receiver
        for (int seq = 1; seq <= 5; seq++) {
            byte[] plain = rtp().ssrc(0x1111).seq(seq).pt(111).payloadOfLength(160).build();
            peer.send(srtp.protectRtp(plain), server());
            assertThat(receiver.nextRtp()).isEqualTo(plain);
        }
        byte[] report = RtcpPackets.receiverReport(0x1111);
        peer.send(srtp.protectRtcp(report), server());
        assertThat(receiver.nextRtcp()).isEqualTo(report);

        // engine -> peer: sendRtp/sendRtcp output decrypts at the peer
        byte[] outRtp = rtp().ssrc(0x2222).seq(7).pt(96).payloadOfLength(900).build();
        byte[] outBuf = Arrays.copyOf(outRtp, outRtp.length + MediaTransport.SRTP_TAIL_ROOM);
        byte[] outRtcp = RtcpPackets.receiverReport(0x2222);
        byte[] outRtcpBuf = Arrays.copyOf(outRtcp, outRtcp.length + MediaTransport.SRTP_TAIL_ROOM);
        worker.execute(() -> {
            transport.sendRtp(outBuf, 0, outRtp.length);
            transport.sendRtcp(outRtcpBuf, 0, outRtcp.length);
        });
        byte[] first = peer.awaitMedia(Duration.ofSeconds(5));
        byte[] second = peer.awaitMedia(Duration.ofSeconds(5));
        assertThat(srtp.unprotectRtp(first)).isEqualTo(outRtp);
        assertThat(srtp.unprotectRtcp(second)).isEqualTo(outRtcp);

        transport.close();
        assertThat(events.next()).isEqualTo("closed DELETED");
    }

    @Test
    void tamperedAndReplayedSrtpAreDroppedAndCounted() throws Exception {
        PeerTransport transport = engine.createTransport(
                new TransportParameters(peer.ice(), peer.fingerprint(), DtlsRole.SERVER), worker, events);
        RecordingReceiver receiver = new RecordingReceiver();
        transport.setReceiver(receiver);
        PeerSrtp srtp = connect(transport, DtlsRole.SERVER, new int[] {TestPeer.CM});
        long authFailed = drops("SRTP_AUTH_FAILED");
        long replayed = drops("SRTP_REPLAY");

        byte[] good = srtp.protectRtp(rtp().ssrc(0x3333).seq(1).pt(96).payloadOfLength(50).build());
        byte[] tampered = srtp.protectRtp(rtp().ssrc(0x3333).seq(2).pt(96).payloadOfLength(50).build());
        tampered[20] ^= 0x40;
        peer.send(good, server());
        assertThat(receiver.nextRtp()).isNotNull();
        peer.send(tampered, server());
        peer.send(good, server());

        awaitDrops("SRTP_AUTH_FAILED", authFailed + 1);
        awaitDrops("SRTP_REPLAY", replayed + 1);
        transport.close();
    }

    /** A connected transport whose peer (the DTLS server, like FFmpeg) has its keys but holds its last flight. */
    private record EarlyPeer(PeerTransport transport, RecordingReceiver receiver, PeerSrtp srtp, long keptBefore) {}

    private EarlyPeer peerWithKeysBeforeUs() throws Exception {
        PeerTransport transport = engine.createTransport(
                new TransportParameters(peer.ice(), peer.fingerprint(), DtlsRole.CLIENT), worker, events);
        RecordingReceiver receiver = new RecordingReceiver();
        transport.setReceiver(receiver);
        assertThat(peer.check(server(), transport.localIce(), true)).isNotNull();
        assertThat(events.next()).startsWith("connected");
        long kept = engine.counters().get("EARLY_MEDIA_KEPT");
        peer.holdServerFinalFlight();
        PeerSrtp srtp = new PeerSrtp(peer.dtlsServer(server(), new int[] {TestPeer.GCM},
                engine.certificateFingerprint()));
        return new EarlyPeer(transport, receiver, srtp, kept);
    }

    private void awaitKept(long count) throws InterruptedException {
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (engine.counters().get("EARLY_MEDIA_KEPT") < count && System.nanoTime() < deadline) Thread.sleep(5);
        assertThat(engine.counters().get("EARLY_MEDIA_KEPT")).isEqualTo(count);
    }

    @Test
    void srtpArrivingBeforeOurHandshakeFinishesIsKeptAndDeliveredOnceSecure() throws Exception {
        EarlyPeer p = peerWithKeysBeforeUs();
        byte[][] early = {rtp().ssrc(0x4444).seq(1).pt(106).payloadOfLength(300).build(), rtp().ssrc(0x4444).seq(2).pt(106).payloadOfLength(300).build()};
        for (byte[] plain : early) peer.send(p.srtp().protectRtp(plain), server());
        awaitKept(p.keptBefore() + 2);
        assertThat(p.transport().state()).isEqualTo(TransportState.CONNECTED);

        peer.releaseHeld();

        assertThat(events.next()).isEqualTo("secure");
        assertThat(p.receiver().nextRtp()).isEqualTo(early[0]);
        assertThat(p.receiver().nextRtp()).isEqualTo(early[1]);
        p.transport().close();
    }

    @Test
    void srtpKeptBeforeOurHandshakeFinishesIsDeliveredWithTheTimesItArrivedNotTheReplaysTime() throws Exception {
        // Stamped with the replay's time, a publisher's first packets (Chromium's first bandwidth probe) were fed back
        // to it as arriving all at once; Chromium rejected that probe and its estimate crept for 5 s.
        EarlyPeer p = peerWithKeysBeforeUs();
        long[] sentAt = new long[2];
        for (int i = 0; i < 2; i++) {
            if (i > 0) Thread.sleep(150);
            peer.send(p.srtp().protectRtp(rtp().ssrc(0x5555).seq(i + 1).pt(106).payloadOfLength(300).build()), server());
            sentAt[i] = System.nanoTime();
        }
        awaitKept(p.keptBefore() + 2);
        Thread.sleep(200);
        long releasedAt = System.nanoTime();
        peer.releaseHeld();

        assertThat(events.next()).isEqualTo("secure");
        long first = p.receiver().nextArrivalNanos();
        long second = p.receiver().nextArrivalNanos();
        assertThat(first).as("the first packet's arrival, not the replay's").isLessThan(releasedAt)
                .isBetween(sentAt[0] - 50_000_000L, sentAt[0] + 100_000_000L);
        assertThat(second - first).as("the gap the two were sent with").isBetween(100_000_000L, 300_000_000L);
        p.transport().close();
    }

    @Test
    void ourServerPrefersAesCmWhenTheClientOffersBoth() throws Exception {
        PeerTransport transport = engine.createTransport(
                new TransportParameters(peer.ice(), peer.fingerprint(), DtlsRole.SERVER), worker, events);

        // The client lists GCM first, as browsers do; the server's preference (the default: AES-CM) decides.
        connect(transport, DtlsRole.SERVER, new int[] {TestPeer.GCM, TestPeer.CM});

        assertThat(transport.srtpProfile()).isEqualTo(SrtpProfile.AES_CM_128_HMAC_SHA1_80);
        transport.close();
    }

    @ParameterizedTest(name = "we are DTLS {0}")
    @CsvSource({"SERVER", "CLIENT"})
    void certificateNotMatchingTheSdpFingerprintFailsTheTransport(DtlsRole ourRole) throws Exception {
        DtlsFingerprint someoneElse = DtlsCertificate.generate().fingerprint();
        PeerTransport transport = engine.createTransport(
                new TransportParameters(peer.ice(), someoneElse, ourRole), worker, events);
        assertThat(peer.check(server(), transport.localIce(), true)).isNotNull();
        assertThat(events.next()).startsWith("connected");

        assertThatThrownBy(() -> handshake(ourRole, new int[] {TestPeer.GCM})).isInstanceOf(IOException.class);

        assertThat(events.next()).isEqualTo("closed FINGERPRINT_MISMATCH");
        assertThat(transport.state()).isEqualTo(TransportState.CLOSED);
    }

    @Test
    void peerCloseNotifyClosesTheTransport() throws Exception {
        PeerTransport transport = engine.createTransport(
                new TransportParameters(peer.ice(), peer.fingerprint(), DtlsRole.SERVER), worker, events);
        connect(transport, DtlsRole.SERVER, new int[] {TestPeer.GCM});

        peer.closeDtls();

        assertThat(events.next()).isEqualTo("closed DTLS_CLOSED");
    }

    @Test
    void consentExpiryClosesAnAbandonedTransport() throws Exception {
        try (MediaEngine shortConsent = MediaEngine.start(MediaEngineConfig.defaults().withBindAddress(LOOPBACK)
                .withBasePort(0).withWorkerCount(1).withAdvertisedAddresses(List.of(LOOPBACK))
                .withConsentTimeout(Duration.ofSeconds(1)))) {
            PeerTransport transport = shortConsent.createTransport(
                    new TransportParameters(peer.ice(), peer.fingerprint(), DtlsRole.SERVER), 0, events);
            assertThat(peer.check(shortConsent.worker(0).localAddress(), transport.localIce(), true)).isNotNull();
            assertThat(events.next()).startsWith("connected");

            assertThat(events.next()).isEqualTo("closed CONSENT_EXPIRED");
        }
    }

    private PeerSrtp connect(PeerTransport transport, DtlsRole ourRole, int[] peerProfiles) throws Exception {
        byte[] response = peer.check(server(), transport.localIce(), true);
        assertThat(response).as("STUN response").isNotNull();
        assertThat(events.next()).isEqualTo("connected " + peer.address());
        TestPeer.Keys keys = handshake(ourRole, peerProfiles);
        assertThat(events.next()).isEqualTo("secure");
        assertThat(transport.srtpProfile().id()).isEqualTo(keys.profile());
        return new PeerSrtp(keys);
    }

    private TestPeer.Keys handshake(DtlsRole ourRole, int[] peerProfiles) throws IOException {
        return ourRole == DtlsRole.SERVER
                ? peer.dtlsClient(server(), peerProfiles, engine.certificateFingerprint())
                : peer.dtlsServer(server(), peerProfiles, engine.certificateFingerprint());
    }

    private InetSocketAddress server() {
        return worker.localAddress();
    }

    private static long drops(String reason) {
        return engine.counters().get("drop." + reason);
    }

    private static void awaitDrops(String reason, long atLeast) throws InterruptedException {
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (drops(reason) < atLeast && System.nanoTime() < deadline) Thread.sleep(5);
        assertThat(drops(reason)).as(reason).isGreaterThanOrEqualTo(atLeast);
    }
}
