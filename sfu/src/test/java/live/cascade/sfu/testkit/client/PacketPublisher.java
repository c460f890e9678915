package live.cascade.sfu.testkit.client;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import live.cascade.sfu.params.HeaderExtensions;
import live.cascade.sfu.testkit.RtcpPackets;

/**
 * A WHIP publisher at packet level: POSTs a hand-written sendonly offer (Opus and/or H.264) with the stream key, runs
 * ICE, DTLS and SRTP against the node, and then sends exactly the RTP and RTCP the test builds: chosen sequence
 * numbers and timestamps, loss, reordering and duplicates by what it sends (see {@link OutgoingStream}). It answers
 * the node's NACKs from the streams' history, as a sender without RTX does, and counts the PLIs it gets.
 *
 * <pre>{@code
 * try (PacketPublisher pub = PacketPublisher.connect(URI.create(base + "/api/whip"), streamKey, ClientOptions.defaults())) {
 *     pub.send(pub.video().h264(0, true));
 * }
 * }</pre>
 */
public final class PacketPublisher implements AutoCloseable {
    private final HttpSignaling signaling;
    private final SdpAnswer answer;
    private final ClientTransport transport;
    private final OutgoingStream audio;
    private final OutgoingStream video;
    private final java.util.Map<String, OutgoingStream> layers = new java.util.LinkedHashMap<>();
    private final List<ReceivedRtcp> rtcp = new CopyOnWriteArrayList<>();
    private final AtomicInteger retransmissions = new AtomicInteger();
    private volatile boolean deleted;

    private PacketPublisher(HttpSignaling signaling, SdpAnswer answer, ClientTransport transport, OutgoingStream audio,
                            OutgoingStream video) {
        this.signaling = signaling;
        this.answer = answer;
        this.transport = transport;
        this.audio = audio;
        this.video = video;
    }

    /** Publishes to {@code whipEndpoint} (e.g. {@code http://127.0.0.1:8080/api/whip}) with {@code streamKey}. */
    public static PacketPublisher connect(URI whipEndpoint, String streamKey, ClientOptions options) {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        long audioSsrc = options.audio() ? random.nextLong(1, 1L << 32) : 0;
        long videoSsrc = options.video() ? random.nextLong(1, 1L << 32) : 0;
        ClientTransport transport = new ClientTransport();
        try {
            String offer = OfferWriter.publisher(transport.localIce(), transport.fingerprint(), options.nodeIsDtlsClient(),
                    audioSsrc, videoSsrc);
            HttpSignaling signaling = HttpSignaling.post(whipEndpoint, streamKey, offer, options.timeout());
            SdpAnswer answer = SdpAnswer.parse(signaling.answer());
            OutgoingStream audio = options.audio() ? stream(answer, "audio", audioSsrc) : null;
            OutgoingStream video = options.video() ? stream(answer, "video", videoSsrc) : null;
            PacketPublisher publisher = new PacketPublisher(signaling, answer, transport, audio, video);
            transport.connect(answer, options, publisher.new Feedback());
            return publisher;
        } catch (RuntimeException e) {
            transport.close();
            throw e;
        }
    }

    /**
     * Publishes audio and simulcast video with these rids; each layer is its own {@link #layer stream} with a random
     * SSRC the node learns from the rid extension. The node must answer with simulcast.
     */
    public static PacketPublisher connectSimulcast(URI whipEndpoint, String streamKey, ClientOptions options,
                                                   List<String> rids) {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        long audioSsrc = random.nextLong(1, 1L << 32);
        ClientTransport transport = new ClientTransport();
        try {
            String offer = OfferWriter.simulcastPublisher(transport.localIce(), transport.fingerprint(),
                    options.nodeIsDtlsClient(), audioSsrc, rids);
            HttpSignaling signaling = HttpSignaling.post(whipEndpoint, streamKey, offer, options.timeout());
            SdpAnswer answer = SdpAnswer.parse(signaling.answer());
            OutgoingStream audio = stream(answer, "audio", audioSsrc);
            int ridId = answer.section("video").orElseThrow().extensionId(HeaderExtensions.URI_RID);
            if (ridId <= 0) throw new IllegalStateException("the node did not negotiate the rid extension: no simulcast");
            PacketPublisher publisher = new PacketPublisher(signaling, answer, transport, audio, null);
            for (String rid : rids) {
                publisher.layers.put(rid, stream(answer, "video", random.nextLong(1, 1L << 32)).asLayer(ridId, rid));
            }
            transport.connect(answer, options, publisher.new Feedback());
            return publisher;
        } catch (RuntimeException e) {
            transport.close();
            throw e;
        }
    }

    /** One simulcast layer's stream (see {@link #connectSimulcast}). */
    public OutgoingStream layer(String rid) {
        OutgoingStream s = layers.get(rid);
        if (s == null) throw new IllegalStateException("no simulcast layer " + rid);
        return s;
    }

    private static OutgoingStream stream(SdpAnswer answer, String kind, long ssrc) {
        SdpAnswer.Section s = answer.section(kind)
                .orElseThrow(() -> new IllegalStateException("the node declined our " + kind + " section"));
        return new OutgoingStream(kind, ssrc, s.codec().payloadType(), s.extensionId(HeaderExtensions.URI_MID), s.mid(),
                ThreadLocalRandom.current().nextInt(0, 0x10000));
    }

    public SdpAnswer answer() { return answer; }

    public URI session() { return signaling.session(); }

    /** The client's own UDP address: the remote address the node sees this session's media come from. */
    public java.net.InetSocketAddress localAddress() { return transport.localAddress(); }

    /** The Link header values of the 201 (ICE servers, our layer-pausing events). */
    public List<String> links() { return signaling.links(); }

    public OutgoingStream audio() {
        if (audio == null) throw new IllegalStateException("this publisher offered no audio");
        return audio;
    }

    public OutgoingStream video() {
        if (video == null) throw new IllegalStateException("this publisher offered no video");
        return video;
    }

    /** Encrypts and sends one plain RTP packet, whatever its SSRC and header say. */
    public void send(byte[] rtp) {
        transport.sendRtp(rtp);
    }

    /** Sends {@code packets} in list order. */
    public void send(List<byte[]> packets) {
        for (byte[] p : packets) send(p);
    }

    /**
     * Sends {@code packets.get(i)} for each {@code i} of {@code order}: leave an index out to lose that packet, repeat
     * it for a duplicate, permute for reordering.
     */
    public void send(List<byte[]> packets, int... order) {
        for (int i : order) send(packets.get(i));
    }

    /** A sender report for {@code stream}: {@code ntp} (NTP format, see {@code NtpTime}) is when {@code rtpTimestamp} was sampled. */
    public void sendSenderReport(OutgoingStream stream, long ntp, long rtpTimestamp, long packets, long octets) {
        transport.sendRtcp(RtcpPackets.senderReport(stream.ssrc(), ntp, rtpTimestamp, packets, octets));
    }

    /** Sends any plain RTCP packet. */
    public void sendRtcp(byte[] rtcp) {
        transport.sendRtcp(rtcp);
    }

    /** Every sequence number the node NACKed for {@code stream}, in arrival order (repeats included). */
    public List<Integer> nacked(OutgoingStream stream) {
        List<Integer> out = new ArrayList<>();
        for (ReceivedRtcp r : rtcp) if (r instanceof ReceivedRtcp.Nack n && n.mediaSsrc() == stream.ssrc()) out.addAll(n.seqs());
        return out;
    }

    /** PLIs the node sent for {@code stream}. */
    public long plis(OutgoingStream stream) {
        return rtcp.stream().filter(r -> r instanceof ReceivedRtcp.Pli p && p.mediaSsrc() == stream.ssrc()).count();
    }

    /** All RTCP the node sent us, parsed. */
    public List<ReceivedRtcp> rtcp() { return List.copyOf(rtcp); }

    /** Packets re-sent from history in answer to NACKs. */
    public int retransmissions() { return retransmissions.get(); }

    /** See {@link ClientTransport#failures()}. */
    public List<Throwable> failures() { return transport.failures(); }

    public int unprotectFailures() { return transport.unprotectFailures(); }

    /** DELETEs the WHIP session and returns the status; {@link #close()} then only closes the socket. */
    public int delete() {
        deleted = true;
        return signaling.delete();
    }

    @Override
    public void close() {
        try {
            if (!deleted) delete();
        } finally {
            transport.close();
        }
    }

    /** The node's RTCP toward us: remember it, answer NACKs from history. */
    private final class Feedback implements ClientTransport.Handler {
        @Override public void onRtp(byte[] plain, long arrivalNanos) {
            // A WHIP session is receive-only on the node's side; RTP toward the publisher would be a node bug.
            throw new IllegalStateException("the node sent RTP to a publisher: " + ReceivedRtp.parse(plain, arrivalNanos));
        }

        @Override public void onRtcp(byte[] plain) {
            for (ReceivedRtcp r : ReceivedRtcp.parse(plain)) {
                rtcp.add(r);
                if (r instanceof ReceivedRtcp.Nack nack) answer(nack);
            }
        }

        private void answer(ReceivedRtcp.Nack nack) {
            OutgoingStream s = audio != null && audio.ssrc() == nack.mediaSsrc() ? audio
                    : video != null && video.ssrc() == nack.mediaSsrc() ? video : null;
            if (s == null) s = layers.values().stream().filter(l -> l.ssrc() == nack.mediaSsrc()).findFirst().orElse(null);
            if (s == null) return;
            for (int seq : nack.seqs()) {
                byte[] p = s.fromHistory(seq);
                if (p == null) continue;
                transport.sendRtp(p);
                retransmissions.incrementAndGet();
            }
        }
    }
}
