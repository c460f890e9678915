package live.cascade.hls;

import live.cascade.hls.segment.CmafSegmenter;

import java.time.Instant;
import java.util.function.LongFunction;

/**
 * The rendition's output, plus its low-latency parts when the broadcast has low-latency HLS: the same segmenter calls
 * feed the plain output (files, index.m3u8) first and then the parts and playlist in memory, so a segment is on disk
 * before a low-latency playlist lists it.
 */
final class PartedOutput {
    private PartedOutput() {}

    static CmafSegmenter.Output of(CmafSegmenter.Output plain, LiveOutput live, String rendition, int targetDuration,
                                   LongFunction<Instant> wallClock) {
        var ll = live.lowLatency();
        if (ll.isEmpty()) return plain;
        var r = ll.get().add(rendition, targetDuration, wallClock);
        return new CmafSegmenter.Output() {
            @Override
            public void onInit(byte[] init) {
                plain.onInit(init);
                r.onInit();
            }

            @Override
            public void onSegment(byte[] data, long start, long duration, int frames, boolean disc) {
                plain.onSegment(data, start, duration, frames, disc);
                r.onSegment(duration, disc);
            }

            @Override
            public void onPartStart(long startMicros, boolean independent) { r.onPartStart(startMicros, independent); }

            @Override
            public void onPartChunk(byte[] chunk) { r.onPartChunk(chunk); }

            @Override
            public void onPartEnd(long endMicros) { r.onPartEnd(endMicros); }

            @Override
            public void onPartAbandoned() { r.onPartAbandoned(); }
        };
    }
}
