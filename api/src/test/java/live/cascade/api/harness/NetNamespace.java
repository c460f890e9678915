package live.cascade.api.harness;

import live.cascade.api.SharedServices;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A network namespace of the test's own, joined to this host by a veth pair on a /30 of its own, for a client whose
 * path a test shapes (random loss) or blocks. The host side's address is where a node listens for it; nothing is
 * routed beyond the pair, so its traffic can only reach this host. Needs root and iproute2; a missing one fails the
 * test under {@code CI=true}, and skips it elsewhere. {@link #close()} deletes the namespace, and the pair with it.
 */
public final class NetNamespace implements AutoCloseable {
    private final String name;
    private final String hostVeth;
    private final String nsVeth;
    private final String hostAddress;
    private final String nsAddress;
    private final List<Path> scripts = new ArrayList<>();
    private boolean lossTable;

    private NetNamespace(String name, String hostVeth, String nsVeth, String hostAddress, String nsAddress) {
        this.name = name;
        this.hostVeth = hostVeth;
        this.nsVeth = nsVeth;
        this.hostAddress = hostAddress;
        this.nsAddress = nsAddress;
    }

    /** A namespace named after {@code tag} and this process, so parallel runs and leftovers of a killed run never clash. */
    public static NetNamespace create(String tag) {
        if (!Files.isExecutable(Path.of("/usr/sbin/ip")) && !Files.isExecutable(Path.of("/sbin/ip"))) {
            SharedServices.missingService("iproute2's ip (apt-get install -y iproute2), for a network namespace");
        }
        if (!"root".equals(System.getProperty("user.name"))) SharedServices.missingService("root, to create a network namespace");
        long pid = ProcessHandle.current().pid();
        int n = (int) (pid % 250) + 1;
        String id = tag + (pid % 10_000);
        NetNamespace ns = new NetNamespace("cl-" + id, "ch" + id, "cn" + id, "10.213." + n + ".1", "10.213." + n + ".2");
        ns.delete(); // what a killed earlier run with the same pid left behind
        try {
            run("ip", "netns", "add", ns.name);
            run("ip", "link", "add", ns.hostVeth, "type", "veth", "peer", "name", ns.nsVeth);
            run("ip", "link", "set", ns.nsVeth, "netns", ns.name);
            run("ip", "addr", "add", ns.hostAddress + "/30", "dev", ns.hostVeth);
            run("ip", "link", "set", ns.hostVeth, "up");
            ns.exec("ip", "addr", "add", ns.nsAddress + "/30", "dev", ns.nsVeth);
            ns.exec("ip", "link", "set", ns.nsVeth, "up");
            ns.exec("ip", "link", "set", "lo", "up");
            return ns;
        } catch (RuntimeException e) {
            ns.close();
            throw e;
        }
    }

    /** The address of this host on the pair: where a node listens for the namespace's client. */
    public String hostAddress() {
        return hostAddress;
    }

    public String nsAddress() {
        return nsAddress;
    }

    /**
     * Drops {@code fraction} of the UDP datagrams the namespace sends, at random, in the kernel, as a lossy link would:
     * an nftables rule ({@code numgen random}) on the ingress of this host's end of the pair, so a dropped datagram has
     * left its sender for good. Not {@code tc netem}: this machine's kernel is built without it
     * ({@code CONFIG_NET_SCH_NETEM} is not set), while nf_tables is there. Not a drop in the namespace's own output
     * hook either: there the sender's {@code sendmsg} fails (EPERM) and Chromium sends the datagram again, so nothing
     * is lost (measured: 1.91 % dropped there, 0.02 % reported lost). The rule matches this pair's device only and goes
     * with {@link #close()}. TCP (the HTTP signalling) passes untouched. Counted: {@link #udpDropped()},
     * {@link #udpPassed()}.
     */
    public void udpLossOnEgress(double fraction) {
        ensureLossTable();
        hostNft("flush chain netdev " + lossTableName() + " in");
        long perTenThousand = Math.round(fraction * 10_000);
        if (perTenThousand > 0) {
            hostNft("add rule netdev " + lossTableName() + " in meta l4proto udp numgen random mod 10000 < " + perTenThousand
                    + " counter name dropped drop");
        }
        hostNft("add rule netdev " + lossTableName() + " in meta l4proto udp counter name passed");
    }

    private void ensureLossTable() {
        if (!lossTable) {
            if (!Files.isExecutable(Path.of("/usr/sbin/nft"))) SharedServices.missingService("nftables' nft (apt-get install -y nftables)");
            hostNft("add table netdev " + lossTableName());
            hostNft("add counter netdev " + lossTableName() + " dropped");
            hostNft("add counter netdev " + lossTableName() + " passed");
            hostNft("add chain netdev " + lossTableName() + " in { type filter hook ingress device " + hostVeth + " priority 0 ; policy accept ; }");
            lossTable = true;
        }
    }

    /**
     * Limits what this host sends into the namespace (the viewer's downlink) to {@code kbit} kbit/s: a token bucket
     * ({@code tc tbf}, 32 KB burst, 300 ms of queue, then drops: a home link's buffer) on this host's end of the pair. This kernel has
     * sch_tbf, not netem. {@link #unlimitRate()} lifts it; {@link #close()} removes it with the pair.
     */
    public void limitRateIntoNamespace(int kbit) {
        unlimitRate();
        run("tc", "qdisc", "add", "dev", hostVeth, "root", "tbf", "rate", kbit + "kbit", "burst", "32kb", "latency", "300ms");
    }

    public void unlimitRate() {
        try {
            new ProcessBuilder("tc", "qdisc", "del", "dev", hostVeth, "root").redirectErrorStream(true).start()
                    .waitFor(10, TimeUnit.SECONDS);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Drops every UDP datagram the namespace sends, as a network that blocks UDP does (an nftables rule on the same hook as
     * {@link #udpLossOnEgress}): WebRTC from inside must find another way, such as ICE-TCP. TCP passes.
     * {@link #allowUdp()} lifts it; {@link #udpDropped()} counts what it dropped.
     */
    public void dropAllUdp() {
        ensureLossTable();
        hostNft("flush chain netdev " + lossTableName() + " in");
        hostNft("add rule netdev " + lossTableName() + " in meta l4proto udp counter name dropped drop");
    }

    /**
     * Lets only TCP to {@code ports} out of the namespace, as a network that passes nothing but HTTPS does: every
     * other IPv4/IPv6 packet it sends is dropped (counted in {@link #udpDropped()}, whatever its protocol); ARP
     * passes, so the pair still works.
     */
    public void onlyTcpTo(int... ports) {
        ensureLossTable();
        hostNft("flush chain netdev " + lossTableName() + " in");
        StringBuilder set = new StringBuilder();
        for (int p : ports) set.append(set.isEmpty() ? "" : ",").append(p);
        hostNft("add rule netdev " + lossTableName() + " in meta l4proto tcp tcp dport { " + set + " } counter name passed accept");
        hostNft("add rule netdev " + lossTableName() + " in meta protocol { ip, ip6 } counter name dropped drop");
    }

    /** Lets the namespace's UDP through again (counting it in {@link #udpPassed()}). */
    public void allowUdp() {
        udpLossOnEgress(0);
    }

    /** UDP datagrams {@link #udpLossOnEgress} has dropped so far. */
    public long udpDropped() {
        return counter("dropped");
    }

    /** UDP datagrams from the namespace that reached this host since {@link #udpLossOnEgress} was first called. */
    public long udpPassed() {
        return counter("passed");
    }

    private String lossTableName() {
        return "cascade_loss_" + hostVeth;
    }

    private long counter(String name) {
        String out = run("nft", "list", "counter", "netdev", lossTableName(), name);
        Matcher m = Pattern.compile("packets (\\d+)").matcher(out);
        if (!m.find()) throw new IllegalStateException("no packet count in: " + out);
        return Long.parseLong(m.group(1));
    }

    private static void hostNft(String command) {
        List<String> cmd = new ArrayList<>(List.of("nft"));
        cmd.addAll(List.of(command.split(" ")));
        run(cmd.toArray(String[]::new));
    }

    /** An executable that starts {@code program} inside the namespace with the arguments it is given (for Playwright). */
    public Path wrapper(String program) {
        try {
            Path script = Files.createTempFile("netns-" + name + "-", ".sh",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            Files.writeString(script, "#!/bin/sh\nexec ip netns exec " + name + " " + program + " \"$@\"\n", StandardCharsets.UTF_8);
            scripts.add(script);
            return script;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Runs a command inside the namespace; returns its output, or throws with it when it fails. */
    public String exec(String... command) {
        List<String> cmd = new ArrayList<>(List.of("ip", "netns", "exec", name));
        cmd.addAll(List.of(command));
        return run(cmd.toArray(String[]::new));
    }

    private static String run(String... command) {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(10, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IllegalStateException(String.join(" ", command) + " failed: " + out.strip());
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private void delete() {
        try {
            new ProcessBuilder("nft", "delete", "table", "netdev", lossTableName()).redirectErrorStream(true).start().waitFor(10, TimeUnit.SECONDS);
            new ProcessBuilder("ip", "netns", "delete", name).redirectErrorStream(true).start().waitFor(10, TimeUnit.SECONDS);
            new ProcessBuilder("ip", "link", "delete", hostVeth).redirectErrorStream(true).start().waitFor(10, TimeUnit.SECONDS);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        delete();
        for (Path s : scripts) {
            try {
                Files.deleteIfExists(s);
            } catch (IOException ignored) {
                // a temp file left behind is harmless
            }
        }
    }

    @Override
    public String toString() {
        return name + " (" + nsAddress + " <-> " + hostAddress + ")";
    }
}
