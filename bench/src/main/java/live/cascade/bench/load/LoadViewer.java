package live.cascade.bench.load;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.ThreadLocalRandom;
import live.cascade.sfu.dtls.DtlsFailure;
import live.cascade.sfu.dtls.DtlsKeys;
import live.cascade.sfu.dtls.DtlsSession;
import live.cascade.sfu.dtls.DtlsSettings;
import live.cascade.sfu.net.StunRequests;
import live.cascade.sfu.params.DtlsRole;
import live.cascade.sfu.params.IceParameters;
import live.cascade.sfu.srtp.PacketBuffer;
import live.cascade.sfu.srtp.SrtpSession;
import live.cascade.sfu.srtp.SrtpStatus;
import live.cascade.sfu.testkit.RtcpPackets;
import live.cascade.sfu.testkit.client.OfferWriter;
import live.cascade.sfu.testkit.client.SdpAnswer;

/**
 * One WHEP viewer of the load tool, a real peer: it POSTs a recvonly offer, checks the node's candidate with ICE
 * (USE-CANDIDATE, then consent every {@value #CONSENT_MILLIS} ms), runs the DTLS client handshake with the project's own
 * {@link DtlsSession}, and decrypts and authenticates every SRTP packet with the project's {@link SrtpSession} (or,
 * for capacity runs, one in {@code authEvery} per viewer: the rest are counted from their clear RTP headers, so the
 * tool's own CPU does not cap the node's figure on a shared machine; every packet still goes through the kernel). Back
 * to the node it sends a PLI on start, NACKs for every number of a gap as it sees it, and a receiver report (with
 * NACKs for all that is still missing in the last {@value SequenceTracker#WINDOW} numbers) every second, as a browser does.
 *
 * <p>Threads: {@link #open} runs on a joining thread; everything after, datagrams, timers and every SRTP operation, on
 * its {@link ViewerReactor}'s thread. The DTLS handshake runs on the session's own virtual thread and hands its keys
 * to the reactor. Counters are written by the reactor and read by the reporter without locks (figures, not control).
 */
final class LoadViewer {
    static final int CONSENT_MILLIS = 5000;
    private static final long CHECK_RETRY_NANOS = 100_000_000L;
    private static final long REPORT_NANOS = 1_000_000_000L;

    enum State { SIGNALING, CHECKING, HANDSHAKING, CONNECTED, FAILED, CLOSED }

    final int id;
    private final IceParameters ice;
    private final long localSsrc = ThreadLocalRandom.current().nextLong(1, 1L << 32);
    private final PacketBuffer packet = new PacketBuffer();
    private final byte[] tx = new byte[1500];
    /** At most this many numbers per NACK: scattered losses take a PID/BLP pair each, and the packet must fit the MTU. */
    private final int[] nackScratch = new int[256];
    private DatagramChannel channel;
    private ViewerReactor reactor;
    private WhepSession whep;
    private InetSocketAddress server;
    private SdpAnswer answer;
    private DtlsSession dtls;
    private SrtpSession srtp;
    private long videoSsrc;
    private long audioSsrc;
    private long nextCheck;
    private long nextReport;
    private long nextConsent;
    private boolean consentPending;

    volatile State state = State.SIGNALING;
    /** Set before the DELETE: the node's close_notify that follows it is the expected end, not a failure. */
    private volatile boolean leaving;
    volatile String failure;
    final TransportCcReporter transportCc = new TransportCcReporter();
    final SequenceTracker video = new SequenceTracker();
    final SequenceTracker audio = new SequenceTracker();
    long joinStartNanos;
    volatile long joinedNanos;
    long rtpPackets;
    long rtpBytes;
    long rtcpPackets;
    /** RTP refused on its tag (or its length): a damaged packet or a wrong rollover-counter guess. */
    long authFailures;
    /** RTP refused by the replay check (already seen or older than the window): not a key or integrity problem. */
    long replayed;
    /** SRTCP refused as a replay, and on its tag (kept apart from RTP's: which of the two fails tells a cause). */
    long rtcpReplayed, rtcpTagFailures;
    long otherSsrcPackets;
    /** RTP packets counted from their headers without authentication (with {@code authEvery} > 1). */
    long unverified;
    /** Authenticate one RTP packet in this many (1: every packet). */
    private final int authEvery;
    private int sinceVerified;
    private int srtpTag;
    long nacksSent;
    long consentMisses;
    long sendFailures;

    LoadViewer(int id) { this(id, 1); }

    LoadViewer(int id, int authEvery) {
        if (authEvery < 1) throw new IllegalArgumentException("authEvery " + authEvery);
        this.id = id;
        this.authEvery = authEvery;
        this.ice = new IceParameters("load" + Integer.toHexString(ThreadLocalRandom.current().nextInt(1 << 20)) + id,
                "loadPassword" + Long.toHexString(ThreadLocalRandom.current().nextLong()) + "xxxxxxxxxx");
    }

    /** Signaling, on the calling (joining) thread; then the viewer belongs to {@code reactor}. */
    void open(URI whepEndpoint, DtlsSettings dtlsSettings, ViewerReactor reactor, InetSocketAddress bindTo,
              Duration timeout) {
        this.reactor = reactor;
        joinStartNanos = System.nanoTime();
        try {
            channel = DatagramChannel.open();
            // As large as the kernel allows (net.core.rmem_max): a join's catch-up burst arrives at once.
            channel.setOption(java.net.StandardSocketOptions.SO_RCVBUF, 4 << 20);
            channel.bind(bindTo);
            channel.configureBlocking(false);
            String offer = TransportCcReporter.addToOffer(
                    OfferWriter.viewer(ice, dtlsSettings.certificate().fingerprint(), false, true, true));
            whep = WhepSession.open(whepEndpoint, offer, timeout);
            answer = SdpAnswer.parse(whep.answer());
            videoSsrc = answer.section("video").map(SdpAnswer.Section::ssrc).orElse(0L);
            audioSsrc = answer.section("audio").map(SdpAnswer.Section::ssrc).orElse(0L);
            server = answer.candidates().stream().filter(c -> c.getAddress() instanceof java.net.Inet4Address)
                    .filter(c -> c.getAddress().isLoopbackAddress() == bindTo.getAddress().isLoopbackAddress())
                    .findFirst().orElse(answer.candidates().getFirst());
            DtlsRole role = answer.weAreDtlsClient() ? DtlsRole.CLIENT : DtlsRole.SERVER;
            dtls = new DtlsSession(role, dtlsSettings, answer.fingerprint(), this::sendDtls, new Handshake(),
                    "load-" + id);
            state = State.CHECKING;
            reactor.adopt(this);
        } catch (IOException | RuntimeException e) {
            fail("join: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            fail("join interrupted");
        }
    }

    DatagramChannel channel() { return channel; }

    /** Which of this viewer's streams {@code ssrc} is, and the highest sequence number counted on it, for diagnostics. */
    String describeStream(long ssrc) {
        if (ssrc == videoSsrc) return "video (highest counted " + (video.highest() & 0xFFFF) + ")";
        if (ssrc == audioSsrc) return "audio (highest counted " + (audio.highest() & 0xFFFF) + ")";
        return "another SSRC (RTX or probe)";
    }

    /** One datagram from the node, on the reactor thread. */
    void onDatagram(byte[] b, int len, long now) {
        int first = b[0] & 0xFF;
        if (first <= 3) {
            onStun(b, len, now);
        } else if (first >= 20 && first <= 63) {
            if (dtls != null) dtls.offer(Arrays.copyOf(b, len));
        } else if (first >= 128 && first <= 191 && srtp != null) {
            int second = b[1] & 0xFF;
            // RFC 5761 §4: RTCP packet types 192-223 share the second byte's range with RTP marker + payload type.
            if (second >= 192 && second <= 223) onRtcp(b, len);
            else onRtp(b, len, now);
        }
    }

    private void onStun(byte[] b, int len, long now) {
        if (len < 20 || b[0] != 0x01 || b[1] != 0x01) return; // only binding success responses matter to us
        if (state == State.CHECKING) {
            state = State.HANDSHAKING;
            nextConsent = now + CONSENT_MILLIS * 1_000_000L;
            dtls.start();
        } else {
            consentPending = false;
        }
    }

    private void onRtp(byte[] b, int len, long now) {
        // The header is in the clear (no header-extension encryption), whether or not this packet is authenticated.
        // b is the reactor's whole receive buffer, so a datagram under 12 bytes reads stale bytes here, which no path
        // below uses: such a packet is refused or skipped before it is counted.
        int seq = (b[2] & 0xFF) << 8 | (b[3] & 0xFF);
        long ssrc = ((b[8] & 0xFFL) << 24) | ((b[9] & 0xFF) << 16) | ((b[10] & 0xFF) << 8) | (b[11] & 0xFF);
        int plainLength;
        if (++sinceVerified >= authEvery) {
            sinceVerified = 0;
            packet.wrap(b, 0, len);
            SrtpStatus status = srtp.unprotectRtp(packet);
            plainLength = packet.getLength();
            packet.release();
            if (status != SrtpStatus.OK) {
                if (status == SrtpStatus.REPLAYED) {
                    replayed++;
                } else {
                    authFailures++;
                    if (len >= 12) RefusalSamples.note(this, ssrc, seq, b[1] & 0x7F, len, status, now);
                }
                return;
            }
        } else {
            // Not authenticated: counted from the clear header; the tag is the profile's.
            if (len < 12 + srtpTag) return;
            plainLength = len - srtpTag;
            unverified++;
        }
        rtpPackets++;
        rtpBytes += plainLength;
        transportCc.onRtp(b, plainLength, now);
        if (ssrc == videoSsrc) {
            long before = video.highest();
            if (video.onPacket(seq) == SequenceTracker.NEW && joinedNanos == 0) joinedNanos = now;
            if (video.highest() > before + 1 && before != 0) nack(videoSsrc, video, (int) (video.highest() - before));
        } else if (ssrc == audioSsrc) {
            audio.onPacket(seq);
        } else {
            otherSsrcPackets++;
        }
    }

    private void onRtcp(byte[] b, int len) {
        packet.wrap(b, 0, len);
        SrtpStatus status = srtp.unprotectRtcp(packet);
        packet.release();
        if (status == SrtpStatus.OK) rtcpPackets++;
        else if (status == SrtpStatus.REPLAYED) rtcpReplayed++;
        else rtcpTagFailures++;
    }

    /** Timers, on the reactor thread every few milliseconds. */
    void tick(long now) {
        if (state == State.CHECKING && now >= nextCheck) {
            nextCheck = now + CHECK_RETRY_NANOS;
            send(StunRequests.browserCheck(answer.ufrag(), answer.password(), ice.ufrag(), true));
        }
        if (state != State.CONNECTED && state != State.HANDSHAKING) return;
        if (now >= nextConsent) {
            if (consentPending) consentMisses++;
            consentPending = true;
            nextConsent = now + CONSENT_MILLIS * 1_000_000L;
            send(StunRequests.browserCheck(answer.ufrag(), answer.password(), ice.ufrag(), false));
        }
        if (state == State.CONNECTED) {
            int n = transportCc.due(now, localSsrc, videoSsrc);
            if (n > 0) sendRtcp(transportCc.buffer(), n);
        }
        if (state == State.CONNECTED && now >= nextReport) {
            nextReport = now + REPORT_NANOS;
            report();
        }
    }

    /** Keys from the handshake, on the reactor thread. */
    void established(DtlsKeys keys) {
        if (state != State.HANDSHAKING) return;
        srtp = new SrtpSession(keys.profile(), keys.localKey(), keys.localSalt(), keys.remoteKey(), keys.remoteSalt());
        srtpTag = live.cascade.sfu.srtp.SrtpPolicies.rtpOverhead(keys.profile());
        state = State.CONNECTED;
        nextReport = System.nanoTime() + REPORT_NANOS;
        if (videoSsrc != 0) sendRtcp(RtcpPackets.pli(localSsrc, videoSsrc));
    }

    void fail(String why) {
        if (state == State.CLOSED) return;
        failure = why;
        state = State.FAILED;
    }

    /** Leaves: DELETE on the node (on the calling thread), then the reactor forgets the viewer. */
    int leave() {
        leaving = true;
        int status = whep == null ? -1 : whep.delete();
        if (dtls != null) dtls.close();
        state = State.CLOSED;
        if (reactor != null) reactor.forget(this);
        return status;
    }

    /** On the reactor thread, after it has forgotten the viewer. */
    void closeChannel() {
        try {
            if (channel != null) channel.close();
        } catch (IOException ignored) {
            // closing a datagram channel does not fail in a way that matters here
        }
        if (srtp != null) srtp.close();
    }

    private void report() {
        byte[] rr = RtcpPackets.receiverReport(localSsrc, videoSsrc, 0, (int) Math.max(0, video.expected() - video.unique()),
                video.highest(), 0);
        int n = video.missing(SequenceTracker.WINDOW - 1, nackScratch, nackScratch.length);
        if (n > 0) {
            nacksSent++;
            sendRtcp(RtcpPackets.compound(rr, RtcpPackets.nack(localSsrc, videoSsrc, Arrays.copyOf(nackScratch, n))));
        } else {
            sendRtcp(rr);
        }
    }

    private void nack(long ssrc, SequenceTracker t, int span) {
        int n = t.missing(Math.min(span, SequenceTracker.WINDOW - 1), nackScratch, nackScratch.length);
        if (n == 0) return;
        nacksSent++;
        sendRtcp(RtcpPackets.nack(localSsrc, ssrc, Arrays.copyOf(nackScratch, n)));
    }

    private void sendRtcp(byte[] plain) { sendRtcp(plain, plain.length); }

    private void sendRtcp(byte[] plain, int plainLength) {
        System.arraycopy(plain, 0, tx, 0, plainLength);
        packet.wrap(tx, 0, plainLength);
        SrtpStatus status = srtp.protectRtcp(packet);
        int length = packet.getLength();
        packet.release();
        if (status == SrtpStatus.OK) send(tx, length);
    }

    private void send(byte[] datagram) { send(datagram, datagram.length); }

    private void send(byte[] datagram, int length) {
        try {
            if (channel.send(ByteBuffer.wrap(datagram, 0, length), server) == 0) sendFailures++;
        } catch (IOException e) {
            sendFailures++;
        }
    }

    /** From the DTLS session's thread: a datagram channel may be written from several threads. */
    private void sendDtls(byte[] datagram) {
        try {
            channel.send(ByteBuffer.wrap(datagram), server);
        } catch (IOException e) {
            // the handshake retransmits; a closed channel means the viewer is leaving
        }
    }

    private final class Handshake implements DtlsSession.Events {
        @Override public void onEstablished(DtlsKeys keys) { reactor.post(() -> established(keys)); }

        @Override public void onFailed(DtlsFailure f, String detail) { reactor.post(() -> fail("DTLS " + f + ": " + detail)); }

        @Override public void onClosed(String detail) {
            reactor.post(() -> {
                if (state == State.CONNECTED && !leaving) fail("DTLS closed by the node: " + detail);
            });
        }
    }
}
