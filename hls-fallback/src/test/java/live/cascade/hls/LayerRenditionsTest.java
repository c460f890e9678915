package live.cascade.hls;

import live.cascade.hls.media.StreamFormat;
import live.cascade.sfu.params.Codec;
import live.cascade.sfu.params.HeaderExtensions;
import live.cascade.sfu.params.MediaKind;
import live.cascade.sfu.params.TrackParameters;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Which publications {@code --hls-simulcast copy} takes (H.264 simulcast, two layers or more) and which keep the ladder
 * (VP8 simulcast, one layer); a copied layer's format comes from its own keyframe's parameter sets.
 */
class LayerRenditionsTest {
    private static List<TrackParameters> publication(String codec, String... rids) {
        List<TrackParameters> t = new ArrayList<>();
        t.add(new TrackParameters(MediaKind.AUDIO, "0", new Codec(111, "opus", 48_000, 2, "", List.of(), -1), 1, 0, HeaderExtensions.NONE));
        Codec video = new Codec(102, codec, 90_000, 1, "", List.of("nack pli"), -1);
        if (rids.length == 0) t.add(new TrackParameters(MediaKind.VIDEO, "1", video, 2, 0, HeaderExtensions.NONE));
        for (String rid : rids) t.add(new TrackParameters(MediaKind.VIDEO, "1", video, 0, 0, HeaderExtensions.NONE, rid));
        return t;
    }

    @Test
    void h264SimulcastIsCopiedLayerByLayerInOfferOrder() {
        assertThat(LayerRenditions.layersOf(publication("H264", "q", "h", "f"))).extracting(TrackParameters::rid).containsExactly("q", "h", "f");
        assertThat(LayerRenditions.otherCodecLayers(publication("H264", "q", "h", "f"))).isFalse();
    }

    @Test
    void vp8SimulcastAndASingleStreamKeepTheLadder() {
        assertThat(LayerRenditions.layersOf(publication("VP8", "q", "h", "f"))).isEmpty();
        assertThat(LayerRenditions.otherCodecLayers(publication("VP8", "q", "h", "f"))).as("said so in the log").isTrue();
        assertThat(LayerRenditions.layersOf(publication("H264"))).isEmpty();
        assertThat(LayerRenditions.otherCodecLayers(publication("H264"))).isFalse();
        assertThat(LayerRenditions.layersOf(publication("H264", "only"))).as("one layer is no simulcast").isEmpty();
    }

    @Test
    void aLayersFormatIsItsKeyframesSizeAndCodecString() {
        SyntheticSource.Coded key = SyntheticSource.video("libx264", 480, 270, 30, 30, 0.1).getFirst();
        StreamFormat f = LayerRenditions.format(key.data());
        assertThat(f).isNotNull();
        assertThat(f.width() + "x" + f.height()).isEqualTo("480x270");
        assertThat(f.codecs()).startsWith("avc1.42");
        assertThat(LayerRenditions.format(new byte[] {0, 0, 0, 1, 0x41, 1, 2, 3})).as("a frame without parameter sets").isNull();
    }
}
