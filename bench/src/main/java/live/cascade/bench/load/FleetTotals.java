package live.cascade.bench.load;

import java.util.List;

/** The viewers' counters summed at one moment, so a step's figures are the difference of two of these. */
record FleetTotals(long nanos, int connected, int failed, long rtpPackets, long rtpBytes, long expected, long unique,
                   long duplicates, long recovered, long authFailures, long replayed, long rtcpPackets, long nacksSent,
                   long consentMisses, long sendFailures) {

    static FleetTotals of(List<LoadViewer> viewers) {
        int connected = 0, failed = 0;
        long packets = 0, bytes = 0, expected = 0, unique = 0, dups = 0, recovered = 0, auth = 0, replayed = 0, rtcp = 0, nacks = 0,
                consent = 0, sendFailures = 0;
        for (LoadViewer v : viewers) {
            if (v.state == LoadViewer.State.CONNECTED && v.joinedNanos != 0) connected++;
            if (v.state == LoadViewer.State.FAILED) failed++;
            packets += v.rtpPackets;
            bytes += v.rtpBytes;
            expected += v.video.expected() + v.audio.expected();
            unique += v.video.unique() + v.audio.unique();
            dups += v.video.duplicates() + v.audio.duplicates();
            recovered += v.video.recovered() + v.audio.recovered();
            auth += v.authFailures + v.rtcpTagFailures + v.rtcpReplayed;
            replayed += v.replayed;
            rtcp += v.rtcpPackets;
            nacks += v.nacksSent;
            consent += v.consentMisses;
            sendFailures += v.sendFailures;
        }
        return new FleetTotals(System.nanoTime(), connected, failed, packets, bytes, expected, unique, dups, recovered,
                auth, replayed, rtcp, nacks, consent, sendFailures);
    }
}
