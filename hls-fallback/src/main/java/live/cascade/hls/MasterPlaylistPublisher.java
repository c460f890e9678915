package live.cascade.hls;

import live.cascade.hls.ladder.Rendition;
import live.cascade.hls.ladder.Rung;
import live.cascade.hls.segment.CmafSegmenter;
import live.cascade.hls.segment.MasterPlaylist;
import live.cascade.hls.segment.RenditionOutput;
import live.cascade.hls.segment.Variant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The broadcast's master playlist: published once every rendition has a segment, and again only when a rendition's
 * measured peak outgrew what the playlist claims by 20 %. It is kept in memory ({@link LiveOutput#master}): each
 * player gets it rendered with its own viewer token in the variant URIs.
 */
final class MasterPlaylistPublisher {
    private static final Logger LOG = LoggerFactory.getLogger(TapPipeline.class);

    private final String slug;
    private final LiveOutput live;
    private boolean written;
    private long advertisedPeak;

    MasterPlaylistPublisher(String slug, LiveOutput live) {
        this.slug = slug;
        this.live = live;
    }

    /** After each segment of any rendition. */
    void update(List<Rendition> renditions, Map<String, RenditionOutput> outputs, Map<String, CmafSegmenter> segmenters,
                long audioBitRate, int sourceWidth, int sourceHeight) {
        long peak = 0;
        List<Variant> variants = new ArrayList<>();
        for (Rendition r : renditions) {
            RenditionOutput out = outputs.get(r.name());
            CmafSegmenter s = segmenters.get(r.name());
            if (out == null || s == null) continue;
            if (out.segmentCount() == 0) return; // not every rendition has a segment yet
            boolean source = r.passthrough() && r.name().equals(Rung.SOURCE.name());
            boolean copiedLayer = r.passthrough() && !source;
            int w = source ? sourceWidth : r.width();
            int h = source ? sourceHeight : r.height();
            // An encoded rung peaks at its VBV cap. The source's rate is only measured (and over few segments yet):
            // it is at least what a rung of its size would be, so players never rank it below a smaller rendition.
            // A copied simulcast layer is what its segments measure: the publisher caps each layer well below the
            // rate typical of its size, and its siblings are measured the same way, so they rank among themselves.
            long rate = source ? Rung.defaultBitRate(w, h) : r.videoBitRate();
            long nominal = w == 0 || copiedLayer ? audioBitRate : rate * 6 / 5 + audioBitRate;
            long bandwidth = Math.max(nominal, out.peakBitRate() * 11 / 10);
            peak = Math.max(peak, bandwidth);
            StringBuilder codecs = new StringBuilder();
            if (s.videoFormat() != null) codecs.append(s.videoFormat().codecs());
            if (s.audioFormat() != null) codecs.append(codecs.isEmpty() ? "" : ",").append(s.audioFormat().codecs());
            double fps = out.frameRate() > 0 ? Math.round(out.frameRate()) : 0;
            variants.add(new Variant(r.name(), live.id() + "/" + r.name() + "/index.m3u8", bandwidth, out.averageBitRate(), w, h, fps, codecs.toString()));
        }
        if (written && peak <= advertisedPeak * 6 / 5) return;
        live.master(new MasterPlaylist(variants));
        advertisedPeak = peak;
        if (!written) LOG.info("channel {}: HLS ready at /hls/{}/master.m3u8", slug, slug);
        written = true;
    }
}
