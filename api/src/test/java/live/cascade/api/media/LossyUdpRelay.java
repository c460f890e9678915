package live.cascade.api.media;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A UDP relay between WebRTC clients and the node's media port that drops a share of the media packets in each
 * direction: the impaired network of the loss-recovery test and benchmarks, with no root and no netem.
 *
 * <p>A client page is pointed at the relay by replacing the server's candidates in the answer ({@code relay} option of
 * the test pages). Each client address gets its own upstream socket, so the server sees one distinct 5-tuple per client
 * (it is ICE-lite and answers checks from wherever they come) and replies find their way back.
 *
 * <p>Only SRTP and SRTCP (first byte 128-191, RFC 7983) are dropped: STUN and DTLS pass, so setup takes as long as
 * without loss and the figures measure recovery of media, not handshake retries. RTCP is dropped like RTP, as on a
 * real lossy path: NACKs and receiver reports get lost too. Drops come from seeded generators (one per direction and
 * client), so a run's loss pattern depends only on the seed and the packet order. The relay stops by itself after
 * {@code maxLifetime}, so a test that hangs cannot leave it running.
 */
public final class LossyUdpRelay implements AutoCloseable {
    private static final int MAX_DATAGRAM = 2048;

    private final DatagramSocket front;
    private final InetSocketAddress server;
    private final long seed;
    private final long deadlineNanos;
    private final SplittableRandom upRandom;
    private final Map<SocketAddress, Client> clients = new ConcurrentHashMap<>();
    private final List<Thread> threads = new CopyOnWriteArrayList<>();
    private volatile double upLoss;
    private volatile double downLoss;
    private volatile boolean closed;

    /** Packets seen and dropped, toward the server (up) and toward the clients (down). */
    public final AtomicLong upPackets = new AtomicLong();
    public final AtomicLong upDropped = new AtomicLong();
    public final AtomicLong downPackets = new AtomicLong();
    public final AtomicLong downDropped = new AtomicLong();

    private final class Client {
        final SocketAddress address;
        final DatagramSocket upstream;
        final SplittableRandom downRandom;

        Client(SocketAddress address, int index) throws SocketException {
            this.address = address;
            this.upstream = new DatagramSocket(new InetSocketAddress(front.getLocalAddress(), 0));
            this.upstream.connect(server);
            this.upstream.setSoTimeout(200);
            this.downRandom = new SplittableRandom(seed * 31 + index);
        }
    }

    private LossyUdpRelay(DatagramSocket front, InetSocketAddress server, double upLoss, double downLoss, long seed,
                          Duration maxLifetime) {
        this.front = front;
        this.server = server;
        this.upLoss = upLoss;
        this.downLoss = downLoss;
        this.seed = seed;
        this.upRandom = new SplittableRandom(seed);
        this.deadlineNanos = System.nanoTime() + maxLifetime.toNanos();
    }

    /**
     * Listens on an ephemeral port of {@code listen} and relays to {@code server}.
     *
     * @param upLoss   share (0..1) of media packets dropped on the way to the server
     * @param downLoss share (0..1) of media packets dropped on the way to the clients
     */
    public static LossyUdpRelay start(InetAddress listen, InetSocketAddress server, double upLoss, double downLoss,
                                      long seed, Duration maxLifetime) {
        try {
            DatagramSocket front = new DatagramSocket(new InetSocketAddress(listen, 0));
            front.setSoTimeout(200);
            LossyUdpRelay relay = new LossyUdpRelay(front, server, upLoss, downLoss, seed, maxLifetime);
            relay.spawn("relay-up", relay::relayUp);
            return relay;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the relay on " + listen, e);
        }
    }

    /**
     * A relay in front of the node's media worker, listening on the IPv4 address the node advertises (an interface
     * address Chromium's host candidates can reach; the pages never use loopback).
     */
    public static LossyUdpRelay inFrontOf(MediaNode media, double upLoss, double downLoss, long seed, Duration maxLifetime) {
        var candidate = media.node.server.media().engine().worker(0).candidates().stream()
                .filter(c -> !c.address().contains(":")).findFirst()
                .orElse(media.node.server.media().engine().worker(0).candidates().getFirst());
        try {
            InetAddress address = InetAddress.getByName(candidate.address());
            return start(address, new InetSocketAddress(address, candidate.port()), upLoss, downLoss, seed, maxLifetime);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The {@code relay} option of the test pages: where their answer's candidate should point. */
    public Map<String, Object> pageTarget() {
        return Map.of("address", front.getLocalAddress().getHostAddress(), "port", front.getLocalPort());
    }

    /** Changes the loss shares from now on (e.g. between phases of a benchmark). */
    public void setLoss(double up, double down) {
        this.upLoss = up;
        this.downLoss = down;
    }

    private void spawn(String name, Runnable loop) {
        threads.add(Thread.ofPlatform().daemon().name(name).start(loop));
    }

    private boolean running() {
        return !closed && System.nanoTime() < deadlineNanos;
    }

    private static boolean isMedia(byte[] data, int offset) {
        int first = data[offset] & 0xFF;
        return first >= 128 && first <= 191;
    }

    /** Client to server: one thread reads the front socket for every client. */
    private void relayUp() {
        DatagramPacket p = new DatagramPacket(new byte[MAX_DATAGRAM], MAX_DATAGRAM);
        while (running()) {
            try {
                p.setLength(MAX_DATAGRAM);
                front.receive(p);
            } catch (SocketTimeoutException e) {
                continue;
            } catch (IOException e) {
                break; // closed
            }
            Client c = clientFor(p.getSocketAddress());
            if (c == null) continue;
            upPackets.incrementAndGet();
            if (p.getLength() > 0 && isMedia(p.getData(), p.getOffset()) && upRandom.nextDouble() < upLoss) {
                upDropped.incrementAndGet();
                continue;
            }
            try {
                c.upstream.send(new DatagramPacket(p.getData(), p.getOffset(), p.getLength()));
            } catch (IOException e) {
                // the server's port is gone: the packet is lost, as it would be on a network
            }
        }
    }

    /** Server to one client: a thread per client reads its upstream socket. */
    private void relayDown(Client c) {
        DatagramPacket p = new DatagramPacket(new byte[MAX_DATAGRAM], MAX_DATAGRAM);
        while (running()) {
            try {
                p.setLength(MAX_DATAGRAM);
                c.upstream.receive(p);
            } catch (SocketTimeoutException e) {
                continue;
            } catch (IOException e) {
                break;
            }
            downPackets.incrementAndGet();
            if (p.getLength() > 0 && isMedia(p.getData(), p.getOffset()) && c.downRandom.nextDouble() < downLoss) {
                downDropped.incrementAndGet();
                continue;
            }
            try {
                front.send(new DatagramPacket(p.getData(), p.getOffset(), p.getLength(), c.address));
            } catch (IOException e) {
                // the client went away
            }
        }
    }

    private Client clientFor(SocketAddress address) {
        Client c = clients.get(address);
        if (c != null) return c;
        try {
            c = new Client(address, clients.size() + 1);
        } catch (SocketException e) {
            return null;
        }
        clients.put(address, c);
        Client client = c;
        spawn("relay-down-" + clients.size(), () -> relayDown(client));
        return c;
    }

    public String describe() {
        return String.format("relay %s -> %s: up %d packets, %d dropped (%.1f%%); down %d packets, %d dropped (%.1f%%); %d client(s)",
                front.getLocalSocketAddress(), server, upPackets.get(), upDropped.get(), percent(upDropped.get(), upPackets.get()),
                downPackets.get(), downDropped.get(), percent(downDropped.get(), downPackets.get()), clients.size());
    }

    private static double percent(long part, long whole) {
        return whole == 0 ? 0 : 100.0 * part / whole;
    }

    @Override
    public void close() {
        closed = true;
        front.close();
        for (Client c : clients.values()) c.upstream.close();
        for (Thread t : threads) {
            try {
                t.join(1000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
