package live.cascade.hls.layers;

import java.util.ArrayDeque;
import java.util.Arrays;

/**
 * Puts the layers' frames of one picture together and hands them on in presentation order, one group per picture:
 * a picture is released once every layer has a frame at or after it (so no layer's frame of it can still come), or
 * once the newest frame seen is {@code maxWaitMicros} past it (a layer that skips pictures or has stopped holds the
 * others back no longer). A frame that arrives after its picture was released is dropped and counted: its layer's
 * picture would otherwise be cut without it.
 *
 * @param <F> the frame type
 */
public final class LayerAligner<F> {
    /**
     * Receives each picture's frames: {@code frames[layer]}, null for a layer without a frame of it (the array is the
     * aligner's, reused for the next picture).
     */
    public interface Output<F> {
        void picture(long ptsMicros, F[] frames);
    }

    private record Entry<F>(long pts, F frame) {
    }

    private final ArrayDeque<Entry<F>>[] queues;
    private final long maxWaitMicros;
    private final Output<F> output;
    private final F[] scratch;
    private final long[] lastAdded;
    private long newest = Long.MIN_VALUE;
    private long released = Long.MIN_VALUE;
    private long late;

    /** @param arrays makes the frame array handed to {@code output} ({@code EncodedFrame[]::new}) */
    @SuppressWarnings("unchecked")
    public LayerAligner(int layers, long maxWaitMicros, java.util.function.IntFunction<F[]> arrays, Output<F> output) {
        this.queues = new ArrayDeque[layers];
        for (int i = 0; i < layers; i++) queues[i] = new ArrayDeque<>();
        this.maxWaitMicros = maxWaitMicros;
        this.output = output;
        this.scratch = arrays.apply(layers);
        this.lastAdded = new long[layers];
        Arrays.fill(lastAdded, Long.MIN_VALUE);
    }

    /** Layer {@code layer}'s next frame, at {@code ptsMicros}; releases whatever is complete. */
    public void add(int layer, long ptsMicros, F frame) {
        if (ptsMicros <= released || ptsMicros <= lastAdded[layer]) {
            late++;
            return;
        }
        lastAdded[layer] = ptsMicros;
        queues[layer].addLast(new Entry<>(ptsMicros, frame));
        newest = Math.max(newest, ptsMicros);
        release(false);
    }

    /** The timeline reached {@code ptsMicros} elsewhere (the reference stream): pictures waiting too long go. */
    public void advance(long ptsMicros) {
        newest = Math.max(newest, ptsMicros);
        release(false);
    }

    /** Releases everything held (the end of the broadcast). */
    public void flush() { release(true); }

    /** Drops everything held (a new publisher). */
    public void clear() {
        for (ArrayDeque<Entry<F>> q : queues) q.clear();
        Arrays.fill(lastAdded, Long.MIN_VALUE);
        newest = Long.MIN_VALUE;
        released = Long.MIN_VALUE;
    }

    private void release(boolean all) {
        while (true) {
            long pts = Long.MAX_VALUE;
            boolean everyLayer = true;
            for (ArrayDeque<Entry<F>> q : queues) {
                Entry<F> head = q.peekFirst();
                if (head == null) everyLayer = false;
                else pts = Math.min(pts, head.pts());
            }
            if (pts == Long.MAX_VALUE) return;
            if (!all && !everyLayer && newest - pts < maxWaitMicros) return;
            for (int i = 0; i < queues.length; i++) {
                Entry<F> head = queues[i].peekFirst();
                scratch[i] = head != null && head.pts() == pts ? queues[i].removeFirst().frame() : null;
            }
            released = pts;
            output.picture(pts, scratch);
        }
    }

    /** Frames dropped because their picture had already been released. */
    public long late() { return late; }

    /** Frames held now. */
    public int held() {
        int n = 0;
        for (ArrayDeque<Entry<F>> q : queues) n += q.size();
        return n;
    }
}
