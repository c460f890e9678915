package live.cascade.sfu.testkit.client;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Predicate;
import live.cascade.sfu.testkit.RtcpPackets;

/**
 * A WHEP viewer at packet level: POSTs a hand-written recvonly offer (retrying while the channel answers 409), runs
 * ICE, DTLS and SRTP, asks for a keyframe (PLI) at once, and then decrypts and keeps every packet. It NACKs sequence
 * gaps as soon as it sees them and again every report interval while they stay open, and sends receiver reports.
 *
 * <pre>{@code
 * try (PacketViewer viewer = PacketViewer.connect(URI.create(base + "/api/whep/alice"), ClientOptions.defaults())) {
 *     ReceivedRtp first = viewer.await("video", p -> p.marker(), Duration.ofSeconds(5));
 * }
 * }</pre>
 */
public final class PacketViewer implements AutoCloseable {
    private final HttpSignaling signaling;
    private final SdpAnswer answer;
    private final ClientTransport transport;
    private final long localSsrc = ThreadLocalRandom.current().nextLong(1, 1L << 32);
    private final Duration timeout;
    private final List<ReceivedRtcp> rtcp = new CopyOnWriteArrayList<>();
    /** Guarded by {@code this}; waiters are woken on every packet. */
    private final List<ReceivedRtp> received = new ArrayList<>();
    private final Map<Long, Track> tracks = new HashMap<>();
    private volatile boolean deleted;

    /** Loss bookkeeping of one received SSRC, in unwrapped sequence numbers. */
    private static final class Track {
        long highest = -1;
        final TreeSet<Long> missing = new TreeSet<>();
        final List<Integer> repaired = new ArrayList<>();
        final List<Integer> nacked = new ArrayList<>();
    }

    private PacketViewer(HttpSignaling signaling, SdpAnswer answer, ClientTransport transport, Duration timeout) {
        this.signaling = signaling;
        this.answer = answer;
        this.transport = transport;
        this.timeout = timeout;
    }

    /** Plays {@code whepEndpoint} (e.g. {@code http://127.0.0.1:8080/api/whep/alice}), without a token. */
    public static PacketViewer connect(URI whepEndpoint, ClientOptions options) {
        return connect(whepEndpoint, null, options);
    }

    /** As {@link #connect(URI, ClientOptions)} with a bearer token for a private channel. */
    public static PacketViewer connect(URI whepEndpoint, String token, ClientOptions options) {
        ClientTransport transport = new ClientTransport();
        try {
            String offer = OfferWriter.viewer(transport.localIce(), transport.fingerprint(), options.nodeIsDtlsClient(),
                    options.audio(), options.video());
            HttpSignaling signaling = HttpSignaling.post(whepEndpoint, token, offer, options.timeout());
            SdpAnswer answer = SdpAnswer.parse(signaling.answer());
            PacketViewer viewer = new PacketViewer(signaling, answer, transport, options.timeout());
            transport.connect(answer, options, viewer.new Receiver());
            answer.section("video").ifPresent(v -> transport.sendRtcp(RtcpPackets.pli(viewer.localSsrc, v.ssrc())));
            transport.every(options.reportInterval(), viewer::report);
            return viewer;
        } catch (RuntimeException e) {
            transport.close();
            throw e;
        }
    }

    public SdpAnswer answer() { return answer; }

    public URI session() { return signaling.session(); }

    /** The Link header values the node answered the WHEP POST with. */
    public List<String> links() { return signaling.links(); }

    /** The SSRC the node announced for {@code kind} in its answer. */
    public long ssrc(String kind) {
        return answer.section(kind).orElseThrow(() -> new IllegalStateException("no " + kind + " in the answer")).ssrc();
    }

    /** Every RTP packet received so far, in arrival order. */
    public synchronized List<ReceivedRtp> received() { return List.copyOf(received); }

    /** The RTP packets received so far on the SSRC the answer announced for {@code kind}. */
    public synchronized List<ReceivedRtp> received(String kind) {
        long ssrc = ssrc(kind);
        return received.stream().filter(p -> p.ssrc() == ssrc).toList();
    }

    /** How many RTP packets arrived, by SSRC, then by payload type. */
    public synchronized Map<Long, Map<Integer, Integer>> counts() {
        Map<Long, Map<Integer, Integer>> out = new TreeMap<>();
        for (ReceivedRtp p : received) out.computeIfAbsent(p.ssrc(), k -> new TreeMap<>()).merge(p.payloadType(), 1, Integer::sum);
        return out;
    }

    /**
     * Waits for a packet of {@code kind} matching {@code test} (one already received counts) and returns it; fails with
     * what did arrive once {@code within} has passed.
     */
    public ReceivedRtp await(String kind, Predicate<ReceivedRtp> test, Duration within) {
        long ssrc = ssrc(kind);
        long deadline = System.nanoTime() + within.toNanos();
        synchronized (this) {
            while (true) {
                for (ReceivedRtp p : received) if (p.ssrc() == ssrc && test.test(p)) return p;
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new AssertionError("no matching " + kind + " packet within " + within + "; received "
                            + received(kind).size() + " " + kind + " packets: " + tail(received(kind)) + failureNote());
                }
                try {
                    wait(Math.max(1, left / 1_000_000));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted", e);
                }
            }
        }
    }

    /** Waits until {@code count} packets of {@code kind} have arrived, within the client's timeout, and returns them all. */
    public synchronized List<ReceivedRtp> awaitCount(String kind, int count) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (received(kind).size() < count) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new AssertionError("only " + received(kind).size() + " of " + count + " " + kind + " packets within "
                        + timeout + ": " + tail(received(kind)) + failureNote());
            }
            try {
                wait(Math.max(1, left / 1_000_000));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted", e);
            }
        }
        return received(kind);
    }

    /** Sequence numbers (as sent by the node) that are still missing on {@code kind}. */
    public synchronized List<Integer> missing(String kind) {
        Track t = tracks.get(ssrc(kind));
        return t == null ? List.of() : t.missing.stream().map(s -> (int) (s & 0xFFFF)).toList();
    }

    /** Sequence numbers that arrived after having been missing: repaired by a retransmission, or late. */
    public synchronized List<Integer> repaired(String kind) {
        Track t = tracks.get(ssrc(kind));
        return t == null ? List.of() : List.copyOf(t.repaired);
    }

    /** Sequence numbers this viewer NACKed on {@code kind}, repeats included. */
    public synchronized List<Integer> nacked(String kind) {
        Track t = tracks.get(ssrc(kind));
        return t == null ? List.of() : List.copyOf(t.nacked);
    }

    /** All RTCP the node sent us (sender reports above all), parsed. */
    public List<ReceivedRtcp> rtcp() { return List.copyOf(rtcp); }

    public List<Throwable> failures() { return transport.failures(); }

    public int unprotectFailures() { return transport.unprotectFailures(); }

    /** Consent checks the node left unanswered (it stops answering once the session is gone). */
    public int consentMisses() { return transport.consentMisses(); }

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

    /** Receiver reports for every SSRC heard, and NACKs again for what is still missing. */
    private void report() {
        List<byte[]> packets = new ArrayList<>();
        synchronized (this) {
            for (var e : tracks.entrySet()) {
                Track t = e.getValue();
                packets.add(RtcpPackets.receiverReport(localSsrc, e.getKey(), 0, t.missing.size(), t.highest, 0));
                if (!t.missing.isEmpty()) packets.add(nack(e.getKey(), t, t.missing));
            }
        }
        if (!packets.isEmpty()) transport.sendRtcp(RtcpPackets.compound(packets.toArray(byte[][]::new)));
    }

    /** Guarded by {@code this}. */
    private byte[] nack(long mediaSsrc, Track t, Collection<Long> seqs) {
        int[] s = seqs.stream().mapToInt(x -> (int) (x & 0xFFFF)).toArray();
        for (int x : s) t.nacked.add(x);
        return RtcpPackets.nack(localSsrc, mediaSsrc, s);
    }

    private String failureNote() {
        List<Throwable> f = transport.failures();
        return f.isEmpty() ? "" : "; client failures: " + f;
    }

    private static String tail(List<ReceivedRtp> packets) {
        return packets.subList(Math.max(0, packets.size() - 5), packets.size()).toString();
    }

    private final class Receiver implements ClientTransport.Handler {
        @Override public void onRtp(byte[] plain, long arrivalNanos) {
            ReceivedRtp p = ReceivedRtp.parse(plain, arrivalNanos);
            byte[] nack = null;
            synchronized (PacketViewer.this) {
                received.add(p);
                Track t = tracks.computeIfAbsent(p.ssrc(), k -> new Track());
                long seq = unwrap(t.highest, p.seq());
                if (t.highest < 0 || seq == t.highest + 1) {
                    t.highest = seq;
                } else if (seq > t.highest) {
                    List<Long> gap = new ArrayList<>();
                    for (long s = t.highest + 1; s < seq; s++) gap.add(s);
                    t.missing.addAll(gap);
                    t.highest = seq;
                    nack = nack(p.ssrc(), t, gap);
                } else if (t.missing.remove(seq)) {
                    t.repaired.add(p.seq());
                }
                PacketViewer.this.notifyAll();
            }
            if (nack != null) transport.sendRtcp(nack);
        }

        @Override public void onRtcp(byte[] plain) {
            rtcp.addAll(ReceivedRtcp.parse(plain));
        }
    }

    /** The unwrapped sequence number closest to {@code highest}. */
    private static long unwrap(long highest, int seq) {
        if (highest < 0) return seq + 0x10000L;
        long base = highest & ~0xFFFFL;
        long c = base | seq;
        if (c - highest > 0x8000) c -= 0x10000;
        else if (highest - c > 0x8000) c += 0x10000;
        return c;
    }
}
