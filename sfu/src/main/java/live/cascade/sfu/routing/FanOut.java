package live.cascade.sfu.routing;

import live.cascade.sfu.params.MediaKind;
import live.cascade.sfu.receive.DropCounters;
import live.cascade.sfu.receive.PublisherTrack;
import live.cascade.sfu.receive.RouterDrop;
import live.cascade.sfu.receive.Stage;
import live.cascade.sfu.receive.StageCounters;
import live.cascade.sfu.rtp.RtpHeader;

/**
 * Stage {@link Stage#FAN_OUT}, and the registry it walks: per track, the copy-on-write array of viewer track
 * consumers (each copies into its own buffer, rewrites and sends), then the sinks, which see the packet unmodified.
 * Also the viewers themselves, for the tick's sender reports and for closing.
 */
final class FanOut {
    private static final PacketSink[] NO_SINKS = new PacketSink[0];
    private static final ViewerConsumer[] NO_VIEWERS = new ViewerConsumer[0];
    private static final TrackConsumer[] NO_CONSUMERS = new TrackConsumer[0];

    private final StageCounters counters;
    private final DropCounters drops;
    private final TrackConsumer[][] byTrack;
    private PacketSink[] sinks = NO_SINKS;
    private ViewerConsumer[] viewers = NO_VIEWERS;

    FanOut(int trackCount, StageCounters counters, DropCounters drops) {
        this.counters = counters;
        this.drops = drops;
        this.byTrack = new TrackConsumer[trackCount][];
        java.util.Arrays.fill(byTrack, NO_CONSUMERS);
    }

    /**
     * Every consumer of {@code t} copies, rewrites and sends {@code packet} ({@code ext} its extended sequence number,
     * already in the history), then every sink sees it as received.
     */
    void deliver(PublisherTrack t, RtpHeader packet, long ext, boolean keyframe, long now) {
        TrackConsumer[] cs = byTrack[t.index];
        for (int i = 0; i < cs.length; i++) cs[i].forward(packet, ext, keyframe, now, drops);
        PacketSink[] ss = sinks;
        for (int i = 0; i < ss.length; i++) {
            try {
                ss[i].onRtp(t.kind, packet.buffer(), packet.offset(), packet.length());
            } catch (RuntimeException e) {
                drops.add(RouterDrop.SINK_FAILED);
            }
        }
        counters.fannedOut(cs.length + ss.length);
    }

    TrackConsumer[] consumers(PublisherTrack t) { return byTrack[t.index]; }

    boolean hasWaitingConsumer(PublisherTrack t) {
        for (TrackConsumer c : byTrack[t.index]) if (c.waitingForKeyframe) return true;
        return false;
    }

    void addViewer(ViewerConsumer v) {
        for (TrackConsumer c : v.tracks) byTrack[c.source.index] = CopyOnWrite.append(byTrack[c.source.index], c);
        viewers = CopyOnWrite.append(viewers, v);
    }

    void removeViewer(ViewerConsumer v) {
        for (TrackConsumer c : v.tracks) byTrack[c.source.index] = CopyOnWrite.remove(byTrack[c.source.index], c);
        viewers = CopyOnWrite.remove(viewers, v);
    }

    ViewerConsumer[] viewers() { return viewers; }

    void addSink(PacketSink sink) { sinks = CopyOnWrite.append(sinks, sink); }

    void removeSink(PacketSink sink) { sinks = CopyOnWrite.remove(sinks, sink); }

    int sinkCount() { return sinks.length; }

    void publisherAttached() {
        for (PacketSink s : sinks) {
            try {
                s.onPublisherAttached();
            } catch (RuntimeException e) {
                drops.add(RouterDrop.SINK_FAILED);
            }
        }
    }

    void senderReport(MediaKind kind, long ntp, long rtpTimestamp) {
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
    }
}
