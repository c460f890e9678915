package live.cascade.sfu.routing;

import live.cascade.sfu.forward.RtpRewriter;
import live.cascade.sfu.params.HeaderExtensions;
import live.cascade.sfu.receive.PublisherTrack;
import live.cascade.sfu.simulcast.LayerGroup;

import java.util.ArrayList;
import java.util.List;
import java.util.random.RandomGenerator;

/** A router's simulcast groups: the tracks sharing a mid that carry a rid, each group with its sink stream's rewrite. */
final class SimulcastGroups {
    private SimulcastGroups() {}

    /**
     * Per track, the simulcast group it is a layer of (null for a track that is no layer). Each group's sinks (the HLS
     * tap, recordings) get one continuous stream whatever layer feeds it, under an SSRC and sequence of its own.
     */
    static LayerGroup[] of(PublisherTrack[] tracks, RandomGenerator random, int maxPacketSize) {
        LayerGroup[] groups = new LayerGroup[tracks.length];
        for (int i = 0; i < tracks.length; i++) {
            if (groups[i] != null || tracks[i].ridBytes == null) continue;
            List<PublisherTrack> layers = new ArrayList<>();
            for (PublisherTrack t : tracks) if (t.ridBytes != null && t.mid.equals(tracks[i].mid)) layers.add(t);
            if (layers.size() < 2) continue;
            LayerGroup g = new LayerGroup(layers.toArray(new PublisherTrack[0]));
            for (PublisherTrack t : layers) groups[t.index] = g;
        }
        for (LayerGroup g : groups) {
            if (g == null || g.sinkBuffer() != null) continue;
            PublisherTrack first = g.layer(0);
            g.rewriteSinkStream(new RtpRewriter(1 + random.nextLong(0xFFFF_FFFEL), first.payloadType, first.clockRate,
                    HeaderExtensions.NONE, first.mid, null, random.nextInt(1 << 16), random.nextLong(1L << 32)), maxPacketSize);
        }
        return groups;
    }
}
