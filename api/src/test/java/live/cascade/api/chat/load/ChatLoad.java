package live.cascade.api.chat.load;

import live.cascade.api.ApiClient;
import live.cascade.api.NodeProcess;
import live.cascade.api.SharedServices;
import live.cascade.api.TestNode;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Chat fan-out load: starts one or two server processes (sharing a PostgreSQL schema of their own and, for two, the
 * shared Redis in a namespace of their own), connects many WebSocket clients to one channel, has a few of them post
 * at a fixed rate, and prints deliveries per second and delivery latency (send to receipt, one clock: the senders
 * and receivers are this process). Loopback only; bounded in clients and seconds; stops and cleans up by itself.
 *
 * <pre>
 * mvn -B -q -o -pl api test-compile exec:exec -Dexec.classpathScope=test -Dexec.executable=java \
 *   -Dexec.args="-cp %classpath live.cascade.api.chat.load.ChatLoad --nodes 1 --clients 2000 --rate 50 --seconds 20"
 * </pre>
 */
public final class ChatLoad {
    static final int MAX_CLIENTS = 10_000;
    static final int MAX_SECONDS = 300;
    /** The server admits 10 frames a second per socket; senders stay below it. */
    static final double PER_SENDER_RATE = 4;

    public static void main(String[] argv) throws Exception {
        Map<String, String> o = options(argv);
        int nodes = Integer.parseInt(o.getOrDefault("nodes", "1"));
        int clients = Integer.parseInt(o.getOrDefault("clients", "2000"));
        double rate = Double.parseDouble(o.getOrDefault("rate", "50"));
        int seconds = Integer.parseInt(o.getOrDefault("seconds", "20"));
        int warmup = Integer.parseInt(o.getOrDefault("warmup", "5"));
        String redisUrl = o.getOrDefault("redis-url", SharedServices.REDIS_URL);
        List<String> jvm = List.of(o.getOrDefault("node-jvm", "-Xmx1g -XX:+UseParallelGC").split(" "));
        if (nodes < 1 || nodes > 2) throw new IllegalArgumentException("--nodes is 1 or 2");
        if (clients < 1 || clients > MAX_CLIENTS) throw new IllegalArgumentException("--clients is 1-" + MAX_CLIENTS);
        if (seconds < 1 || seconds > MAX_SECONDS || warmup < 0 || warmup > 60) throw new IllegalArgumentException("--seconds is 1-" + MAX_SECONDS + ", --warmup 0-60");
        int senders = (int) Math.max(nodes, Math.ceil(rate / PER_SENDER_RATE));
        if (senders > clients) throw new IllegalArgumentException("--rate needs " + senders + " senders, more than --clients");

        System.out.printf(Locale.ROOT, "chat load: %d node(s), %d clients (%d of them posting), %.0f messages/s, %d s measured after %d s warm-up%n",
                nodes, clients, senders, rate, seconds, warmup);
        try (SharedServices.PgSchema schema = SharedServices.PgSchema.create()) {
            List<String> args = new ArrayList<>(List.of("--db-url", schema.jdbcUrl(), "--db-user", SharedServices.PG_USER,
                    "--db-password", SharedServices.PG_PASSWORD, "--secret", "chat-load-tool-secret-0123456789abcdef",
                    "--chat-rate-limit", "1000000", "--chat-rate-window", "1s",
                    // Every load client is on 127.0.0.1: lift the per-address caps it would otherwise meet.
                    "--chat-sockets-per-ip", "1000000", "--connections-per-ip", "1000000"));
            if (nodes == 2) {
                SharedServices.requireRedis();
                args.addAll(List.of("--redis-url", redisUrl, "--redis-namespace", "load-" + UUID.randomUUID()));
            }
            List<NodeProcess> procs = new ArrayList<>();
            try {
                for (int i = 0; i < nodes; i++) procs.add(NodeProcess.start(jvm, args.toArray(String[]::new)));
                run(procs, clients, senders, rate, seconds, warmup);
            } catch (RuntimeException e) {
                for (NodeProcess p : procs) {
                    p.output().lines().filter(l -> l.contains("WARN") || l.contains("ERROR") || l.contains("Exception")).limit(20)
                            .forEach(l -> System.out.println("node " + p.port() + ": " + l));
                }
                throw e;
            } finally {
                for (NodeProcess p : procs) p.close();
            }
        }
    }

    private static void run(List<NodeProcess> procs, int clients, int senders, double rate, int seconds, int warmup) throws Exception {
        ApiClient api = procs.getFirst().http;
        for (NodeProcess p : procs) awaitHealthy(p);
        TestNode.Account owner = api.signup("loadowner");
        api.createChannel(owner, "loadtest");
        List<String> tokens = new ArrayList<>();
        for (int i = 0; i < senders; i++) tokens.add(procs.get(i % procs.size()).http.signup("loadsender" + i).token());
        String path = "/api/channels/loadtest/chat/ws";

        try (LoadSockets sockets = new LoadSockets()) {
            List<LoadSockets.Socket> senderSockets = new ArrayList<>();
            long t0 = System.nanoTime();
            for (int i = 0; i < clients; i++) {
                int node = i % procs.size();
                String token = i < senders ? tokens.get(i) : null;
                LoadSockets.Socket s = sockets.open(node, procs.get(node).port(), path, token);
                if (token != null) senderSockets.add(s);
                // Batches, so the accept queue never overflows.
                if (i % 200 == 199) awaitReady(sockets, i + 1, 30);
            }
            awaitReady(sockets, clients, 60);
            System.out.printf(Locale.ROOT, "connected %d sockets in %.1f s%n", clients, (System.nanoTime() - t0) / 1e9);

            ScheduledExecutorService ticker = Executors.newScheduledThreadPool(2);
            AtomicLong sent = new AtomicLong();
            AtomicLong sendErrors = new AtomicLong();
            long periodNanos = (long) (1e9 * senders / rate);
            for (int i = 0; i < senderSockets.size(); i++) {
                LoadSockets.Socket s = senderSockets.get(i);
                ticker.scheduleAtFixedRate(() -> {
                    try {
                        s.sendText("{\"type\":\"message\",\"text\":\"load " + System.nanoTime() + " " + s.node + "\"}");
                        sent.incrementAndGet();
                    } catch (IOException e) {
                        sendErrors.incrementAndGet();
                    }
                }, periodNanos * i / senderSockets.size(), periodNanos, TimeUnit.NANOSECONDS);
            }
            Thread.sleep(warmup * 1000L);
            Map<Long, long[]> cpu0 = cpu(procs);
            long[] self0 = ticks(ProcessHandle.current().pid());
            sockets.resetStats();
            long sent0 = sent.get();
            long m0 = System.nanoTime();
            Thread.sleep(seconds * 1000L);
            long sentInWindow = sent.get() - sent0;
            double elapsed = (System.nanoTime() - m0) / 1e9;
            long delivered = sockets.deliveries();
            Map<Long, long[]> cpu1 = cpu(procs);
            long[] self1 = ticks(ProcessHandle.current().pid());
            ticker.shutdownNow();
            // Let the last frames arrive, then look for losses: every open socket should see every message.
            Thread.sleep(2000);
            long deliveredAll = sockets.deliveries();
            long expected = sentInWindow * (clients - sockets.closed());

            LoadSockets.Histogram same = sockets.sameNode();
            LoadSockets.Histogram other = sockets.otherNode();
            System.out.printf(Locale.ROOT, "sent %d messages in %.1f s (%.1f/s), send errors %d, sockets closed %d %s%n",
                    sentInWindow, elapsed, sentInWindow / elapsed, sendErrors.get(), sockets.closed(), sockets.closeCodes());
            System.out.printf(Locale.ROOT, "deliveries: %d in the window = %,.0f deliveries/s; after drain %d of ~%d expected (%.3f%%)%n",
                    delivered, delivered / elapsed, deliveredAll, expected, expected == 0 ? 0 : 100.0 * deliveredAll / expected);
            print("latency, sender on the same node", same);
            if (procs.size() > 1) print("latency, sender on the other node (through Redis)", other);
            printBusy("this load tool (clients and senders)", self0, self1, elapsed);
            for (NodeProcess p : procs) {
                p.output().lines().filter(l -> l.contains(" WARN ") || l.contains(" ERROR ")).limit(10)
                        .forEach(l -> System.out.println("node " + p.port() + ": " + l));
                printBusy("node pid " + p.pid(), cpu0.get(p.pid()), cpu1.get(p.pid()), elapsed);
            }
        }
    }

    private static void printBusy(String who, long[] a, long[] b, double elapsed) {
        if (a == null || b == null) return;
        System.out.printf(Locale.ROOT, "%s: %.2f cores busy (user %.2f, system %.2f)%n", who,
                (b[0] + b[1] - a[0] - a[1]) / 100.0 / elapsed, (b[0] - a[0]) / 100.0 / elapsed, (b[1] - a[1]) / 100.0 / elapsed);
    }

    private static void print(String what, LoadSockets.Histogram h) {
        System.out.printf(Locale.ROOT, "%s: n=%d p50 %.1f ms, p90 %.1f ms, p99 %.1f ms, p99.9 %.1f ms, max %.1f ms%n", what, h.count(),
                h.percentileMillis(50), h.percentileMillis(90), h.percentileMillis(99), h.percentileMillis(99.9), h.maxMillis());
    }

    /** utime and stime of each node process in clock ticks (100 per second on Linux), from /proc. */
    private static Map<Long, long[]> cpu(List<NodeProcess> procs) {
        Map<Long, long[]> out = new HashMap<>();
        for (NodeProcess p : procs) {
            long[] t = ticks(p.pid());
            if (t != null) out.put(p.pid(), t);
        }
        return out;
    }

    /** utime and stime of a process, or null (not Linux, or gone: no CPU figure). */
    private static long[] ticks(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return new long[]{Long.parseLong(f[11]), Long.parseLong(f[12])};
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    private static void awaitReady(LoadSockets sockets, int n, int timeoutSeconds) throws InterruptedException {
        long deadline = System.nanoTime() + timeoutSeconds * 1_000_000_000L;
        while (sockets.ready() < n) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("only " + sockets.ready() + " of " + n + " sockets got their hello; closed, by code: " + sockets.closeCodes());
            }
            Thread.sleep(10);
        }
    }

    private static void awaitHealthy(NodeProcess p) throws InterruptedException {
        for (int i = 0; i < 150; i++) {
            if (p.http.get("/readyz", null).json().at("/status").asText().equals("ok")) return;
            Thread.sleep(100);
        }
        throw new IllegalStateException("node " + p.port() + " not healthy: " + p.http.get("/readyz", null).body());
    }

    private static Map<String, String> options(String[] argv) {
        Map<String, String> o = new HashMap<>();
        for (int i = 0; i < argv.length; i++) {
            if (!argv[i].startsWith("--") || i + 1 >= argv.length) throw new IllegalArgumentException("usage: --name value ... (see the class comment)");
            o.put(argv[i].substring(2), argv[++i]);
        }
        return o;
    }
}
