package live.cascade.signaling;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

import live.cascade.signaling.sdp.SdpParseException;
import live.cascade.signaling.sdp.SdpParser;
import live.cascade.signaling.sdp.SessionDescription;

/** The captured and hand-written SDP bodies under {@code src/test/resources/fixtures}. */
public final class Fixtures {
    public static final String CHROMIUM_PUBLISHER = "chromium-publisher-offer.sdp";
    public static final String CHROMIUM_VIEWER = "chromium-viewer-offer.sdp";
    public static final String CHROMIUM_SIMULCAST = "chromium-simulcast-offer.sdp";
    public static final String CHROMIUM_TWO_VIDEO = "chromium-two-video-offer.sdp";
    public static final String CHROMIUM_TWO_STREAMS = "chromium-two-streams-offer.sdp";
    public static final String CHROMIUM_AUDIO_ONLY = "chromium-audio-only-offer.sdp";
    public static final String CHROMIUM_NO_OPUS = "chromium-no-opus-offer.sdp";
    public static final String CHROMIUM_DATACHANNEL = "chromium-publisher-datachannel-offer.sdp";
    public static final String CHROMIUM_VIEWER_VP8_VP9 = "chromium-viewer-vp8-vp9-offer.sdp";
    public static final String CHROMIUM_VIEWER_AUDIO_ONLY = "chromium-viewer-audio-only-offer.sdp";
    public static final String FFMPEG = "ffmpeg-whip-offer.sdp";
    public static final String OBS_SIMULCAST = "obs32-simulcast-offer.sdp";
    public static final String FFMPEG_DTLS_ACTIVE = "ffmpeg-whip-dtls-active-offer.sdp";
    public static final String REJECTED_VIDEO = "handwritten-rejected-video-offer.sdp";
    public static final String BUNDLE_ONLY = "handwritten-bundle-only-offer.sdp";
    public static final String TRICKLE = "handwritten-trickle.sdpfrag";
    public static final String TRICKLE_RESTART = "handwritten-ice-restart.sdpfrag";

    public static final List<String> ALL_SDP = List.of(CHROMIUM_PUBLISHER, CHROMIUM_VIEWER, CHROMIUM_SIMULCAST,
            CHROMIUM_TWO_VIDEO, CHROMIUM_TWO_STREAMS, CHROMIUM_AUDIO_ONLY, CHROMIUM_NO_OPUS, CHROMIUM_DATACHANNEL,
            CHROMIUM_VIEWER_VP8_VP9, CHROMIUM_VIEWER_AUDIO_ONLY, FFMPEG, FFMPEG_DTLS_ACTIVE, REJECTED_VIDEO, BUNDLE_ONLY);

    public static final List<String> ALL_SDPFRAG = List.of(TRICKLE, TRICKLE_RESTART);

    private Fixtures() {}

    public static String text(String name) {
        try (InputStream in = Fixtures.class.getResourceAsStream("/fixtures/" + name)) {
            if (in == null) throw new IllegalArgumentException("no fixture " + name);
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static SessionDescription sdp(String name) {
        try {
            return SdpParser.parse(text(name));
        } catch (SdpParseException e) {
            throw new AssertionError("fixture " + name + " does not parse: " + e.getMessage(), e);
        }
    }

    public static SessionDescription parse(String text) {
        try {
            return SdpParser.parse(text);
        } catch (SdpParseException e) {
            throw new AssertionError("does not parse: " + e.getMessage(), e);
        }
    }
}
