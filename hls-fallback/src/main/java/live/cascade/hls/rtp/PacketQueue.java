package live.cascade.hls.rtp;

import live.cascade.sfu.params.MediaKind;

import java.util.concurrent.locks.LockSupport;

/**
 * The hand-off from the media worker to a tap's own thread: a bounded ring of preallocated slots. The producer (the
 * worker) copies each packet into a slot and never waits: when the ring is full the oldest entry is dropped and
 * counted, so a tap that falls behind loses old media rather than slowing the router. The consumer takes entries by
 * swapping slot objects, so nothing is copied twice and nothing is allocated per packet.
 *
 * <p>One producer thread and one consumer thread. The lock is held only for an index update and, on the producer
 * side, one packet copy (about a microsecond); neither side ever blocks on the other for longer.
 */
public final class PacketQueue {
    /** What a slot holds. */
    public enum Type {
        RTP, SENDER_REPORT, PUBLISHER_ATTACHED,
        /** The ingest's AAC AudioSpecificConfig (RTMP/SRT publishes). */
        ORIGINAL_AUDIO_CONFIG,
        /** One raw AAC frame from the ingest, with its place on the audio track's RTP clock. */
        ORIGINAL_AUDIO,
        /** The parameter sets (Annex B) of video the ingest hands the tap directly (RTMP/SRT HEVC). */
        DIRECT_VIDEO_CONFIG,
        /** One access unit of that video, with its decode time, composition offset and keyframe flag. */
        DIRECT_VIDEO,
        /** An RTP packet of one simulcast layer as received ({@link Slot#layer}). */
        LAYER_RTP,
        /** A sender report of one simulcast layer ({@link Slot#layer}), its own RTP timestamps. */
        LAYER_SENDER_REPORT
    }

    /** One entry. The consumer owns the slots it took until it hands them back through {@link #drainTo}. */
    public static final class Slot {
        Type type;
        MediaKind kind;
        byte[] data;
        int length;
        long ntpTimestamp;
        long rtpTimestamp;
        long arrivalNanos;
        int composition;
        boolean keyframe;
        int layer;

        Slot(int capacity) { this.data = new byte[capacity]; }

        public Type type() { return type; }

        public MediaKind kind() { return kind; }

        public byte[] data() { return data; }

        public int length() { return length; }

        public long ntpTimestamp() { return ntpTimestamp; }

        public long rtpTimestamp() { return rtpTimestamp; }

        public long arrivalNanos() { return arrivalNanos; }

        /** {@link Type#DIRECT_VIDEO}: presentation minus decode time, 90 kHz ticks. */
        public int composition() { return composition; }

        /** {@link Type#DIRECT_VIDEO}: decodable on its own. */
        public boolean keyframe() { return keyframe; }

        /** {@link Type#LAYER_RTP}, {@link Type#LAYER_SENDER_REPORT}: the simulcast layer's position in offer order. */
        public int layer() { return layer; }
    }

    private final Slot[] ring;
    private int head;
    private int size;
    private long dropped;
    private long accepted;
    private volatile boolean consumerWaiting;
    private volatile Thread consumer;

    public PacketQueue(int capacity, int packetSize) {
        if (capacity < 2) throw new IllegalArgumentException("capacity must be at least 2");
        ring = new Slot[capacity];
        for (int i = 0; i < capacity; i++) ring[i] = new Slot(packetSize);
    }

    /** A slot array for {@link #drainTo}, with spare slots of the same packet size. */
    public Slot[] newBatch(int n) {
        Slot[] batch = new Slot[n];
        for (int i = 0; i < n; i++) batch[i] = new Slot(ring[0].data.length);
        return batch;
    }

    public void offerRtp(MediaKind kind, byte[] buf, int off, int len, long nowNanos) {
        synchronized (this) {
            Slot s = claim();
            s.type = Type.RTP;
            s.kind = kind;
            if (s.data.length < len) s.data = new byte[len];
            System.arraycopy(buf, off, s.data, 0, len);
            s.length = len;
            s.arrivalNanos = nowNanos;
        }
        wake();
    }

    /** A simulcast layer's packet as received ({@link Type#LAYER_RTP}). */
    public void offerLayerRtp(int layer, byte[] buf, int off, int len, long nowNanos) {
        synchronized (this) {
            Slot s = claim();
            s.type = Type.LAYER_RTP;
            s.kind = MediaKind.VIDEO;
            s.layer = layer;
            if (s.data.length < len) s.data = new byte[len];
            System.arraycopy(buf, off, s.data, 0, len);
            s.length = len;
            s.arrivalNanos = nowNanos;
        }
        wake();
    }

    /** A simulcast layer's sender report ({@link Type#LAYER_SENDER_REPORT}). */
    public void offerLayerSenderReport(int layer, long ntpTimestamp, long rtpTimestamp, long nowNanos) {
        synchronized (this) {
            Slot s = claim();
            s.type = Type.LAYER_SENDER_REPORT;
            s.kind = MediaKind.VIDEO;
            s.layer = layer;
            s.length = 0;
            s.ntpTimestamp = ntpTimestamp;
            s.rtpTimestamp = rtpTimestamp;
            s.arrivalNanos = nowNanos;
        }
        wake();
    }

    /** Original audio from the ingest ({@link Type#ORIGINAL_AUDIO_CONFIG}, {@link Type#ORIGINAL_AUDIO}). */
    public void offerOriginalAudio(Type type, byte[] buf, int off, int len, long rtpTimestamp, long nowNanos) {
        synchronized (this) {
            Slot s = claim();
            s.type = type;
            s.kind = MediaKind.AUDIO;
            if (s.data.length < len) s.data = new byte[len];
            System.arraycopy(buf, off, s.data, 0, len);
            s.length = len;
            s.rtpTimestamp = rtpTimestamp;
            s.arrivalNanos = nowNanos;
        }
        wake();
    }

    /**
     * Direct video from the ingest ({@link Type#DIRECT_VIDEO_CONFIG}, {@link Type#DIRECT_VIDEO}); {@code timestamp} its
     * decode time at 90 kHz. A slot grows once to the largest frame it held (keyframes are tens of kilobytes) and keeps
     * that size, so the steady state allocates nothing.
     */
    public void offerDirectVideo(Type type, byte[] buf, int off, int len, long timestamp, int composition, boolean keyframe,
                                 long nowNanos) {
        synchronized (this) {
            Slot s = claim();
            s.type = type;
            s.kind = MediaKind.VIDEO;
            if (s.data.length < len) s.data = new byte[len];
            System.arraycopy(buf, off, s.data, 0, len);
            s.length = len;
            s.rtpTimestamp = timestamp;
            s.composition = composition;
            s.keyframe = keyframe;
            s.arrivalNanos = nowNanos;
        }
        wake();
    }

    public void offerSenderReport(MediaKind kind, long ntpTimestamp, long rtpTimestamp, long nowNanos) {
        synchronized (this) {
            Slot s = claim();
            s.type = Type.SENDER_REPORT;
            s.kind = kind;
            s.length = 0;
            s.ntpTimestamp = ntpTimestamp;
            s.rtpTimestamp = rtpTimestamp;
            s.arrivalNanos = nowNanos;
        }
        wake();
    }

    public void offerPublisherAttached(long nowNanos) {
        synchronized (this) {
            Slot s = claim();
            s.type = Type.PUBLISHER_ATTACHED;
            s.kind = null;
            s.length = 0;
            s.arrivalNanos = nowNanos;
        }
        wake();
    }

    /** Under the lock: the slot for a new entry at the tail, dropping the oldest entry when full. */
    private Slot claim() {
        if (size == ring.length) {
            head = (head + 1) % ring.length;
            size--;
            dropped++;
        }
        accepted++;
        Slot s = ring[(head + size) % ring.length];
        size++;
        return s;
    }

    private void wake() {
        if (consumerWaiting) {
            Thread t = consumer;
            if (t != null) LockSupport.unpark(t);
        }
    }

    /**
     * Moves up to {@code batch.length} entries into {@code batch} (oldest first), giving the ring the batch's slots in
     * exchange. Returns how many.
     */
    public int drainTo(Slot[] batch) {
        synchronized (this) {
            int n = Math.min(size, batch.length);
            for (int i = 0; i < n; i++) {
                int at = (head + i) % ring.length;
                Slot full = ring[at];
                ring[at] = batch[i];
                batch[i] = full;
            }
            head = (head + n) % ring.length;
            size -= n;
            return n;
        }
    }

    /** On the consumer thread: waits until an entry arrives or {@code nanos} pass. */
    public void await(long nanos) {
        consumer = Thread.currentThread();
        consumerWaiting = true;
        try {
            if (isEmpty()) LockSupport.parkNanos(this, nanos);
        } finally {
            consumerWaiting = false;
        }
    }

    public synchronized boolean isEmpty() { return size == 0; }

    public synchronized int size() { return size; }

    /** Entries dropped because the consumer fell behind. */
    public synchronized long dropped() { return dropped; }

    public synchronized long accepted() { return accepted; }
}
