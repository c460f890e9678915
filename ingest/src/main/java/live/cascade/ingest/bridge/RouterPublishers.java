package live.cascade.ingest.bridge;

import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.LongAdder;
import live.cascade.ingest.BFramePolicy;
import live.cascade.ingest.StreamPublisher;
import live.cascade.ingest.StreamPublishers;
import live.cascade.signaling.session.BroadcastService;
import live.cascade.signaling.session.ChannelRef;

/** Opens each admitted RTMP publish into the channel's router, and keeps what stream health shows about it. */
public final class RouterPublishers implements StreamPublishers {
    private final BroadcastService service;
    private final ConcurrentHashMap<Long, IngestStatus> statuses = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<Long, RouterPublisher> current = new ConcurrentHashMap<>();
    private final BFramePolicy bframePolicy;
    private final LongAdder bframePublishes = new LongAdder();
    private final LongAdder bframeRejections = new LongAdder();
    private final LongAdder bframeReencodes = new LongAdder();
    private final LongAdder reencodeDrops = new LongAdder();
    private final LongAdder malformedTags = new LongAdder();

    public RouterPublishers(BroadcastService service) {
        this(service, BFramePolicy.WARN);
    }

    /** @param bframePolicy what a publish with B-frames gets ({@code --ingest-bframes}) */
    public RouterPublishers(BroadcastService service, BFramePolicy bframePolicy) {
        this.service = service;
        this.bframePolicy = bframePolicy;
    }

    @Override
    public StreamPublisher open(ChannelRef channel, PublishEvents events, Executor connectionThread) {
        RouterPublisher p = new RouterPublisher(channel, service, events, connectionThread, this);
        current.put(channel.id(), p);
        return p;
    }

    /** The channel's current RTMP publish, for stream health; empty when it is not publishing over RTMP here. */
    public Optional<IngestStatus> status(long channelId) {
        return Optional.ofNullable(statuses.get(channelId));
    }

    /** Publishes found to carry B-frames, since start. */
    public long bframePublishes() { return bframePublishes.sum(); }

    /** Publishes refused for their B-frames ({@code --ingest-bframes reject}), since start. */
    public long bframeRejections() { return bframeRejections.sum(); }

    /** Publishes whose video was re-encoded without B-frames ({@code --ingest-bframes reencode}), since start. */
    public long bframeReencodes() { return bframeReencodes.sum(); }

    /** Frames the B-frame re-encode dropped because it fell behind (it resumes at the next keyframe). */
    public long reencodeDrops() { return reencodeDrops.sum(); }

    /** FLV tags dropped because they could not be read. */
    public long malformedTags() { return malformedTags.sum(); }

    void update(ChannelRef channel, IngestStatus status) {
        statuses.put(channel.id(), status);
    }

    void remove(ChannelRef channel, RouterPublisher p) {
        if (current.remove(channel.id(), p)) statuses.remove(channel.id());
    }

    void bframesFound() { bframePublishes.increment(); }

    void bframesRejected() { bframeRejections.increment(); }

    void bframesReencoded() { bframeReencodes.increment(); }

    LongAdder reencodeDropCounter() { return reencodeDrops; }

    BFramePolicy bframePolicy() { return bframePolicy; }

    void malformedTag() { malformedTags.increment(); }
}
