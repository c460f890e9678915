package live.cascade.sfu.routing;

import live.cascade.sfu.params.MediaKind;
import live.cascade.sfu.receive.DropCounters;
import live.cascade.sfu.receive.PublisherTrack;
import live.cascade.sfu.receive.RouterDrop;
import live.cascade.sfu.receive.Stage;
import live.cascade.sfu.receive.StageCounters;
import live.cascade.sfu.rtp.RtpHeader;
import live.cascade.sfu.simulcast.LayerGroup;

/**
 * Stage {@link Stage#FAN_OUT}, and the registry it walks: per track, the copy-on-write array of viewer track
 * consumers (each copies into its own buffer, rewrites and sends), then the sinks, which see the packet unmodified.
 * Also the viewers themselves, for the tick's sender reports and for closing. A simulcast consumer is listed under
 * every layer of its group (it picks its layer's packets itself); the sinks see one layer of a group, its
 * {@link LayerGroup#feedsSinks sink layer}.
 */
final class FanOut {
    private static final PacketSink[] NO_SINKS = new PacketSink[0];
    private static final ViewerConsumer[] NO_VIEWERS = new ViewerConsumer[0];
    private static final TrackConsumer[] NO_CONSUMERS = new TrackConsumer[0];

    private final StageCounters counters;
    private final DropCounters drops;
    private final TrackConsumer[][] byTrack;
    /** The simulcast group of each track, null for tracks that are not layers. */
    private final LayerGroup[] groups;
    private PacketSink[] sinks = NO_SINKS;
    /** The sinks that also take every simulcast layer as received ({@link PacketSink#wantsLayers}). */
    private PacketSink[] layerSinks = NO_SINKS;
    private ViewerConsumer[] viewers = NO_VIEWERS;

    FanOut(int trackCount, LayerGroup[] groups, StageCounters counters, DropCounters drops) {
        this.counters = counters;
        this.drops = drops;
        this.groups = groups;
        this.byTrack = new TrackConsumer[trackCount][];
        java.util.Arrays.fill(byTrack, NO_CONSUMERS);
    }

    /**
     * Every consumer of {@code t} copies, rewrites and sends {@code packet} ({@code ext} its extended sequence number,
     * already in the history), then every sink sees it as received.
     */
    void deliver(PublisherTrack t, RtpHeader packet, long ext, boolean keyframe, long now) {
        LayerGroup g = groups[t.index];
        // A keyframe may carry a layer's first or new size: rank before anyone picks by it (rare, allocation-free).
        if (g != null && keyframe) g.rank(now);
        TrackConsumer[] cs = byTrack[t.index];
        for (int i = 0; i < cs.length; i++) cs[i].forward(t, packet, ext, keyframe, now, drops);
        PacketSink[] ss = sinks;
        byte[] buf = packet.buffer();
        int off = packet.offset(), len = packet.length();
        if (g != null) {
            PacketSink[] ls = layerSinks;
            if (ls.length > 0) {
                int layer = g.indexOf(t);
                for (int i = 0; i < ls.length; i++) {
                    try {
                        ls[i].onLayerRtp(t.kind, layer, buf, off, len);
                    } catch (RuntimeException e) {
                        drops.add(RouterDrop.SINK_FAILED);
                    }
                }
            }
            // One layer, rewritten into one continuous stream, so the sinks never see a layer switch as a restart.
            if (!g.feedsSinks(t, keyframe, now) || ss.length == 0 || (len = g.rewriteForSinks(t, packet, now)) < 0) {
                counters.fannedOut(cs.length);
                return;
            }
            buf = g.sinkBuffer();
            off = 0;
        }
        for (int i = 0; i < ss.length; i++) {
            try {
                ss[i].onRtp(t.kind, buf, off, len);
            } catch (RuntimeException e) {
                drops.add(RouterDrop.SINK_FAILED);
            }
        }
        counters.fannedOut(cs.length + ss.length);
    }

    TrackConsumer[] consumers(PublisherTrack t) { return byTrack[t.index]; }

    boolean hasWaitingConsumer(PublisherTrack t) {
        for (TrackConsumer c : byTrack[t.index]) if (c.waitsOn(t)) return true;
        LayerGroup g = groups[t.index];
        return g != null && g.sinkWantsKeyframe() && g.top() == t && sinks.length > 0;
    }

    LayerGroup groupOf(PublisherTrack t) { return groups[t.index]; }

    /**
     * The tick's consumption marks (see {@link live.cascade.sfu.simulcast.LayerDemand}): per group, the layers its
     * viewers are sent, are moving to or have pinned, and the top layer while there are sinks (the HLS tap and
     * recordings take it) or nobody else consumes anything (so the publisher never falls silent and a new viewer's
     * first choice is there); then the group pauses what has gone unwanted long enough. Allocation-free.
     */
    void updateLayerDemand(long now) {
        for (int k = 0; k < groups.length; k++) {
            LayerGroup g = groups[k];
            if (g == null || g.layer(0).index != k) continue;
            boolean any = false;
            TrackConsumer[] cs = byTrack[k];
            for (int i = 0; i < cs.length; i++) {
                TrackConsumer c = cs[i];
                if (c.group != g) continue;
                any = true;
                g.want(c.source, now);
                if (c.target != null) g.want(c.target, now);
                String pin = c.selector.pinned();
                PublisherTrack pinned = pin == null ? null : g.byRid(pin);
                if (pinned != null) g.want(pinned, now);
            }
            if (sinks.length > 0 || !any) g.want(g.top(), now);
            // A sink that copies every layer (HLS renditions from the layers) consumes them all.
            if (layerSinks.length > 0) for (int i = 0; i < g.size(); i++) g.want(g.layer(i), now);
            if (sinks.length > 0 && g.sinkLayer() != null) g.want(g.sinkLayer(), now);
            g.updateDemand(now);
        }
    }

    /** Tells every group whether the publisher honours pauses. */
    void pausing(boolean on) {
        for (LayerGroup g : groups) if (g != null) g.pausing(on);
    }

    /** Adds the rids of the layers paused now to {@code out} (allocates; not on the packet path). */
    void pausedLayers(java.util.List<String> out) {
        for (int k = 0; k < groups.length; k++) {
            LayerGroup g = groups[k];
            if (g == null || g.layer(0).index != k) continue;
            for (int i = 0; i < g.size(); i++) if (g.paused(g.layer(i))) out.add(g.layer(i).rid);
        }
    }

    void addViewer(ViewerConsumer v) {
        for (TrackConsumer c : v.tracks) {
            if (c.group == null) {
                byTrack[c.source.index] = CopyOnWrite.append(byTrack[c.source.index], c);
            } else {
                for (int i = 0; i < c.group.size(); i++) {
                    int index = c.group.layer(i).index;
                    byTrack[index] = CopyOnWrite.append(byTrack[index], c);
                }
            }
        }
        viewers = CopyOnWrite.append(viewers, v);
    }

    void removeViewer(ViewerConsumer v) {
        for (TrackConsumer c : v.tracks) {
            for (int i = 0; i < byTrack.length; i++) byTrack[i] = CopyOnWrite.remove(byTrack[i], c);
        }
        viewers = CopyOnWrite.remove(viewers, v);
    }

    ViewerConsumer[] viewers() { return viewers; }

    void addSink(PacketSink sink) {
        sinks = CopyOnWrite.append(sinks, sink);
        if (sink.wantsLayers()) layerSinks = CopyOnWrite.append(layerSinks, sink);
    }

    void removeSink(PacketSink sink) {
        sinks = CopyOnWrite.remove(sinks, sink);
        layerSinks = CopyOnWrite.remove(layerSinks, sink);
    }

    int sinkCount() { return sinks.length; }

    void publisherAttached() {
        for (LayerGroup g : groups) if (g != null) g.reset();
        for (PacketSink s : sinks) {
            try {
                s.onPublisherAttached();
            } catch (RuntimeException e) {
                drops.add(RouterDrop.SINK_FAILED);
            }
        }
    }

    void senderReport(PublisherTrack t, long ntp, long rtpTimestamp) {
        LayerGroup g = groups[t.index];
        if (g != null && layerSinks.length > 0) {
            int layer = g.indexOf(t);
            for (PacketSink s : layerSinks) {
                try {
                    s.onLayerSenderReport(layer, ntp, rtpTimestamp);
                } catch (RuntimeException e) {
                    drops.add(RouterDrop.SINK_FAILED);
                }
            }
        }
        if (g != null) { // the sinks know one layer, in their own timeline
            rtpTimestamp = g.sinkTimestamp(t, rtpTimestamp);
            if (rtpTimestamp < 0) return;
        }
        MediaKind kind = t.kind;
        PacketSink[] ss = sinks;
        for (int i = 0; i < ss.length; i++) {
            try {
                ss[i].onSenderReport(kind, ntp, rtpTimestamp);
            } catch (RuntimeException e) {
                drops.add(RouterDrop.SINK_FAILED);
            }
        }
    }

    /** Closes every viewer and forgets viewers and sinks. */
    void clear() {
        for (ViewerConsumer v : viewers) v.markClosed();
        java.util.Arrays.fill(byTrack, NO_CONSUMERS);
        viewers = NO_VIEWERS;
        sinks = NO_SINKS;
        layerSinks = NO_SINKS;
    }
}
