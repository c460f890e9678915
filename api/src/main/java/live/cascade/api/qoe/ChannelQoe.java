package live.cascade.api.qoe;

import live.cascade.api.qoe.QoeReport.Path;
import live.cascade.api.qoe.QoeReport.Protocol;
import live.cascade.api.qoe.QoeReport.QoeError;

import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One channel's beacons over the last {@link #WINDOW}, in one-minute buckets (a ring, so memory is fixed per channel)
 * plus a ring of the last {@value #STARTUPS} startup times, from which the percentiles are read exactly. Beacons of a
 * channel come from many request threads; the channel's own lock is held for a few additions.
 */
final class ChannelQoe {
    static final Duration WINDOW = Duration.ofMinutes(15);
    static final int STARTUPS = 512;
    private static final int MINUTES = (int) WINDOW.toMinutes();

    private static final class Bucket {
        long minute = Long.MIN_VALUE;
        long beacons, watchMs, rebufferMs, rebuffers, decoded, dropped, layerSwitches, bitrateWatchMs, bitrateKbpsMs;
        final long[] plays = new long[Protocol.values().length];
        final long[] paths = new long[Path.values().length];
        final long[] errors = new long[QoeError.values().length];

        void reset(long m) {
            minute = m;
            beacons = watchMs = rebufferMs = rebuffers = decoded = dropped = layerSwitches = bitrateWatchMs = bitrateKbpsMs = 0;
            Arrays.fill(plays, 0);
            Arrays.fill(paths, 0);
            Arrays.fill(errors, 0);
        }
    }

    private final Bucket[] buckets = new Bucket[MINUTES];
    private final long[] startupAt = new long[STARTUPS];
    private final int[] startupMs = new int[STARTUPS];
    private final byte[] startupProtocol = new byte[STARTUPS];
    private int startupNext;
    private int startupCount;
    private volatile long lastMillis;

    ChannelQoe() {
        for (int i = 0; i < MINUTES; i++) buckets[i] = new Bucket();
    }

    synchronized void add(QoeReport r, Instant at) {
        long millis = at.toEpochMilli();
        lastMillis = millis;
        long minute = millis / 60_000;
        Bucket b = buckets[(int) Math.floorMod(minute, MINUTES)];
        if (b.minute != minute) b.reset(minute);
        b.beacons++;
        b.watchMs += r.watchMs();
        b.rebufferMs += r.rebufferMs();
        b.rebuffers += r.rebuffers();
        b.decoded += r.framesDecoded();
        b.dropped += r.framesDropped();
        b.layerSwitches += r.layerSwitches();
        if (r.bitrateKbps() > 0 && r.watchMs() > 0) {
            b.bitrateWatchMs += r.watchMs();
            b.bitrateKbpsMs += (long) r.bitrateKbps() * r.watchMs();
        }
        for (QoeError e : r.errors()) b.errors[e.ordinal()]++;
        if (r.startupMs().isPresent()) {
            b.plays[r.protocol().ordinal()]++;
            r.path().ifPresent(p -> b.paths[p.ordinal()]++);
            startupAt[startupNext] = millis;
            startupMs[startupNext] = (int) r.startupMs().getAsLong();
            startupProtocol[startupNext] = (byte) r.protocol().ordinal();
            startupNext = (startupNext + 1) % STARTUPS;
            startupCount = Math.min(STARTUPS, startupCount + 1);
        }
    }

    /** When the last beacon arrived (epoch ms), for dropping channels nobody watched within the window. */
    long lastMillis() {
        return lastMillis;
    }

    /** The window ending at {@code now}, or the shorter {@code within}. */
    synchronized QoeSnapshot snapshot(Instant now, Duration within) {
        long nowMillis = now.toEpochMilli();
        long from = nowMillis - Math.min(within.toMillis(), WINDOW.toMillis());
        long fromMinute = from / 60_000;
        Bucket sum = new Bucket();
        for (Bucket b : buckets) {
            if (b.minute == Long.MIN_VALUE || b.minute < fromMinute || b.minute > nowMillis / 60_000) continue;
            sum.beacons += b.beacons;
            sum.watchMs += b.watchMs;
            sum.rebufferMs += b.rebufferMs;
            sum.rebuffers += b.rebuffers;
            sum.decoded += b.decoded;
            sum.dropped += b.dropped;
            sum.layerSwitches += b.layerSwitches;
            sum.bitrateWatchMs += b.bitrateWatchMs;
            sum.bitrateKbpsMs += b.bitrateKbpsMs;
            for (int i = 0; i < sum.plays.length; i++) sum.plays[i] += b.plays[i];
            for (int i = 0; i < sum.paths.length; i++) sum.paths[i] += b.paths[i];
            for (int i = 0; i < sum.errors.length; i++) sum.errors[i] += b.errors[i];
        }
        int[] all = new int[startupCount];
        int[][] perProtocol = new int[Protocol.values().length][startupCount];
        int n = 0;
        int[] pn = new int[Protocol.values().length];
        for (int i = 0; i < startupCount; i++) {
            if (startupAt[i] < from) continue;
            all[n++] = startupMs[i];
            int p = startupProtocol[i];
            perProtocol[p][pn[p]++] = startupMs[i];
        }
        Map<String, QoeSnapshot.Startup> byProtocol = new LinkedHashMap<>();
        for (Protocol p : Protocol.values()) byProtocol.put(p.label(), QoeSnapshot.Startup.of(Arrays.copyOf(perProtocol[p.ordinal()], pn[p.ordinal()])));
        Map<String, Long> plays = new LinkedHashMap<>();
        for (Protocol p : Protocol.values()) plays.put(p.label(), sum.plays[p.ordinal()]);
        Map<String, Long> paths = new LinkedHashMap<>();
        for (Path p : Path.values()) paths.put(p.label, sum.paths[p.ordinal()]);
        Map<String, Long> errors = new LinkedHashMap<>();
        for (QoeError e : QoeError.values()) if (sum.errors[e.ordinal()] > 0) errors.put(e.label, sum.errors[e.ordinal()]);
        long frames = sum.decoded + sum.dropped;
        return new QoeSnapshot(sum.beacons, QoeSnapshot.Startup.of(Arrays.copyOf(all, n)), byProtocol, plays, paths,
                Math.round(sum.watchMs / 100.0) / 10.0, sum.rebuffers, Math.round(sum.rebufferMs / 100.0) / 10.0,
                sum.watchMs == 0 ? 0 : (double) sum.rebufferMs / sum.watchMs,
                frames == 0 ? 0 : (double) sum.dropped / frames, sum.layerSwitches,
                sum.bitrateWatchMs == 0 ? 0 : (int) (sum.bitrateKbpsMs / sum.bitrateWatchMs), errors);
    }
}
