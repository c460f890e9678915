package live.cascade.signaling.negotiation;

import static live.cascade.signaling.negotiation.NegotiationFixtures.SERVER;
import static live.cascade.signaling.negotiation.NegotiationFixtures.accepted;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;

import org.junit.jupiter.api.Test;

import live.cascade.signaling.Fixtures;
import live.cascade.signaling.negotiation.NegotiationFailure.Reason;
import live.cascade.signaling.sdp.Direction;
import live.cascade.signaling.sdp.ExtMap;
import live.cascade.signaling.sdp.Group;
import live.cascade.signaling.sdp.MediaSection;
import live.cascade.signaling.sdp.Msid;
import live.cascade.signaling.sdp.SdpParser;
import live.cascade.signaling.sdp.SessionDescription;
import live.cascade.signaling.sdp.Setup;
import live.cascade.signaling.sdp.SsrcAttribute;
import live.cascade.signaling.sdp.SsrcGroup;
import live.cascade.sfu.params.Codec;
import live.cascade.sfu.params.DtlsRole;
import live.cascade.sfu.params.HeaderExtensions;
import live.cascade.sfu.params.IceParameters;
import live.cascade.sfu.params.MediaKind;
import live.cascade.sfu.params.TrackParameters;

class PlaybackNegotiatorTest {
    private static final List<TrackParameters> CHROMIUM_PUBLISHER = accepted(Fixtures.CHROMIUM_PUBLISHER).tracks();
    private static final List<TrackParameters> FFMPEG_PUBLISHER = accepted(Fixtures.FFMPEG).tracks();

    private static PlaybackNegotiation play(SessionDescription offer, List<TrackParameters> publisher) {
        return new PlaybackNegotiator(new Random(7)).negotiate(offer, publisher, SERVER);
    }

    private static PlaybackAnswer answered(SessionDescription offer, List<TrackParameters> publisher) {
        PlaybackNegotiation n = play(offer, publisher);
        assertThat(n).isInstanceOf(PlaybackAnswer.class);
        return (PlaybackAnswer) n;
    }

    private static NegotiationFailure refused(SessionDescription offer, List<TrackParameters> publisher) {
        PlaybackNegotiation n = play(offer, publisher);
        assertThat(n).isInstanceOf(NegotiationFailure.class);
        return (NegotiationFailure) n;
    }

    private static TrackParameters track(MediaKind kind, String name, String fmtp) {
        return new TrackParameters(kind, "1", new Codec(102, name, 90000, 1, fmtp, List.of("nack"), -1), 1234, 0, HeaderExtensions.NONE);
    }

    @Test
    void answersAChromiumViewerWithThePublishersCodecsUnderTheViewersPayloadTypes() throws Exception {
        PlaybackAnswer a = answered(Fixtures.sdp(Fixtures.CHROMIUM_VIEWER), CHROMIUM_PUBLISHER);

        assertThat(a.transport().remoteIce()).isEqualTo(new IceParameters("s3Ia", "YM/XM+MwCdwZY1j0Rxqbt1k2"));
        assertThat(a.transport().localRole()).isEqualTo(DtlsRole.SERVER);
        assertThat(a.tracks()).hasSize(2);

        TrackParameters audio = a.tracks().get(0);
        assertThat(audio.kind()).isEqualTo(MediaKind.AUDIO);
        assertThat(audio.mid()).isEqualTo("0");
        assertThat(audio.codec()).isEqualTo(new Codec(111, "opus", 48000, 2, "minptime=10;useinbandfec=1", List.of("transport-cc"), -1));
        assertThat(audio.extensions()).isEqualTo(new HeaderExtensions(4, 2, 3, 1, 0, 0));
        assertThat(audio.rtxSsrc()).isZero();

        TrackParameters video = a.tracks().get(1);
        // The viewer's 42e01f packetization-mode=1 entry is payload type 108, its rtx 109.
        assertThat(video.codec()).isEqualTo(new Codec(108, "H264", 90000, 1,
                "level-asymmetry-allowed=1;packetization-mode=1;profile-level-id=42e01f",
                List.of("goog-remb", "transport-cc", "ccm fir", "nack", "nack pli"), 109));
        assertThat(video.extensions()).isEqualTo(new HeaderExtensions(4, 2, 3, 0, 0, 0));
        Set<Long> ssrcs = new HashSet<>(List.of(audio.ssrc(), video.ssrc(), video.rtxSsrc()));
        assertThat(ssrcs).hasSize(3).allSatisfy(s -> assertThat(s).isBetween(1L, 0xFFFF_FFFFL));

        SessionDescription answer = a.answer();
        assertThat(answer.iceLite()).isTrue();
        assertThat(answer.bundleGroup()).contains(Group.bundle(List.of("0", "1")));
        MediaSection v = answer.media().get(1);
        assertThat(v.direction()).contains(Direction.SENDONLY);
        assertThat(v.setup()).contains(Setup.PASSIVE);
        assertThat(v.rtcpMuxOnly()).isTrue();
        assertThat(v.endOfCandidates()).isTrue();
        assertThat(v.candidates()).hasSize(2);
        assertThat(v.formats()).containsExactly("108", "109");
        assertThat(v.ssrcGroups()).containsExactly(new SsrcGroup("FID", List.of(video.ssrc(), video.rtxSsrc())));
        assertThat(v.ssrcs()).extracting(SsrcAttribute::ssrc).containsExactly(video.ssrc(), video.ssrc(), video.rtxSsrc(), video.rtxSsrc());
        Msid videoMsid = v.msids().get(0);
        Msid audioMsid = answer.media().get(0).msids().get(0);
        assertThat(audioMsid.streamId()).isEqualTo(videoMsid.streamId());
        assertThat(audioMsid.trackId()).isNotEqualTo(videoMsid.trackId());
        assertThat(v.ssrcs()).filteredOn(s -> s.attribute().equals("msid")).extracting(SsrcAttribute::value)
                .containsOnly(videoMsid.value());
        assertThat(answer.media().get(0).ssrcs()).filteredOn(s -> s.attribute().equals("cname"))
                .extracting(SsrcAttribute::value).containsOnly(v.ssrcs().get(0).value());
        assertThat(answer.media().get(0).hasAttribute("ssrc-group")).isFalse();
        assertThat(SdpParser.parse(a.sdp())).isEqualTo(answer);
    }

    @Test
    void mapsAnFfmpegStreamToTheViewersBaselineEntry() {
        PlaybackAnswer a = answered(Fixtures.sdp(Fixtures.CHROMIUM_VIEWER), FFMPEG_PUBLISHER);
        // 42001e (FFmpeg) matches the viewer's 42001f at payload type 102 best: same profile, only the level differs.
        TrackParameters video = a.tracks().get(1);
        assertThat(video.codec().payloadType()).isEqualTo(102);
        assertThat(video.codec().rtxPayloadType()).isEqualTo(103);
        assertThat(video.codec().fmtp()).isEqualTo("level-asymmetry-allowed=1;packetization-mode=1;profile-level-id=42001e");
        assertThat(a.answer().media().get(1).attributeValues("fmtp")).contains(
                "102 level-asymmetry-allowed=1;packetization-mode=1;profile-level-id=42001e", "103 apt=102");
        // The viewer's feedback, not the publisher's: the media plane answers this viewer's NACK and PLI itself.
        assertThat(video.codec().rtcpFeedback()).containsExactly("goog-remb", "transport-cc", "ccm fir", "nack", "nack pli");
    }

    @Test
    void theViewersAnswerNegotiatesTransportCcSoTheNodeCanEstimateItsDownlink() {
        PlaybackAnswer a = answered(Fixtures.sdp(Fixtures.CHROMIUM_VIEWER), CHROMIUM_PUBLISHER);
        String sdp = a.sdp();
        for (TrackParameters t : a.tracks()) {
            assertThat(sdp).contains("a=rtcp-fb:" + t.codec().payloadType() + " transport-cc\r\n");
            assertThat(t.extensions().transportCc()).as("transport-wide sequence id for %s", t.kind()).isPositive();
        }
        assertThat(sdp.split("a=extmap:3 " + HeaderExtensions.URI_TRANSPORT_CC + "\r\n", -1)).hasSize(3); // both sections
    }

    @Test
    void rejectsAViewerThatCannotDecodeThePublishersCodec() {
        NegotiationFailure f = refused(Fixtures.sdp(Fixtures.CHROMIUM_VIEWER_VP8_VP9), CHROMIUM_PUBLISHER);
        assertThat(f).isEqualTo(new NegotiationFailure(Reason.NO_COMMON_CODEC,
                "this stream is H264 (profile-level-id 42e01f); your player offered only VP8, VP9"));
    }

    @Test
    void rejectsAnH264ViewerWithoutTheStreamsProfile() {
        List<TrackParameters> high = List.of(track(MediaKind.VIDEO, "H264", "packetization-mode=1;profile-level-id=640c1f"));
        String viewer = Fixtures.text(Fixtures.CHROMIUM_VIEWER).replace("f4001f", "4d001f");
        NegotiationFailure f = refused(Fixtures.parse(viewer), high);
        assertThat(f.reason()).isEqualTo(Reason.NO_COMMON_CODEC);
        assertThat(f.detail()).startsWith("this stream is H264 (profile-level-id 640c1f); your player offered only VP8, VP9, "
                + "H264 (profile-level-id 42001f, packetization-mode 1), H264 (profile-level-id 42001f, packetization-mode 0)");
        // Main profile at a different level is fine: the level may differ.
        List<TrackParameters> main = List.of(track(MediaKind.VIDEO, "H264", "packetization-mode=1;profile-level-id=4d0032"));
        assertThat(answered(Fixtures.sdp(Fixtures.CHROMIUM_VIEWER), main).tracks().get(0).codec().payloadType()).isEqualTo(116);
    }

    @Test
    void matchesVp9ByProfile() {
        List<TrackParameters> vp9p2 = List.of(track(MediaKind.VIDEO, "VP9", "profile-id=2"));
        assertThat(answered(Fixtures.sdp(Fixtures.CHROMIUM_VIEWER_VP8_VP9), vp9p2).tracks().get(0).codec().payloadType()).isEqualTo(100);
        List<TrackParameters> vp9p0 = List.of(track(MediaKind.VIDEO, "VP9", ""));
        assertThat(answered(Fixtures.sdp(Fixtures.CHROMIUM_VIEWER_VP8_VP9), vp9p0).tracks().get(0).codec().payloadType()).isEqualTo(98);
        String noProfile2 = Fixtures.text(Fixtures.CHROMIUM_VIEWER_VP8_VP9).replace("profile-id=2", "profile-id=0");
        assertThat(refused(Fixtures.parse(noProfile2.replace("a=fmtp:98 profile-id=0\r\n", "")), vp9p2).detail())
                .startsWith("this stream is VP9 (profile-id 2)");
    }

    @Test
    void givesAnAudioOnlyViewerAudioOnly() {
        PlaybackAnswer a = answered(Fixtures.sdp(Fixtures.CHROMIUM_VIEWER_AUDIO_ONLY), CHROMIUM_PUBLISHER);
        assertThat(a.tracks()).extracting(TrackParameters::kind).containsExactly(MediaKind.AUDIO);
        assertThat(a.answer().media()).hasSize(1);
        assertThat(a.answer().bundleGroup()).contains(Group.bundle(List.of("0")));
    }

    @Test
    void declinesTheSectionOfAKindTheStreamLacks() {
        List<TrackParameters> audioOnly = List.of(CHROMIUM_PUBLISHER.get(0));
        PlaybackAnswer a = answered(Fixtures.sdp(Fixtures.CHROMIUM_VIEWER), audioOnly);
        assertThat(a.tracks()).extracting(TrackParameters::kind).containsExactly(MediaKind.AUDIO);
        assertThat(a.answer().media().get(1).port()).isZero();
        assertThat(a.answer().media().get(1).mid()).contains("1");
        assertThat(a.answer().bundleGroup()).contains(Group.bundle(List.of("0")));
    }

    @Test
    void rejectsAViewerOfferWithNothingToFill() {
        List<TrackParameters> videoOnly = List.of(CHROMIUM_PUBLISHER.get(1));
        NegotiationFailure f = refused(Fixtures.sdp(Fixtures.CHROMIUM_VIEWER_AUDIO_ONLY), videoOnly);
        assertThat(f).isEqualTo(new NegotiationFailure(Reason.NOTHING_TO_PLAY,
                "this stream has video only; your player asked for audio only"));
        assertThat(refused(Fixtures.sdp(Fixtures.CHROMIUM_VIEWER), List.of()).reason()).isEqualTo(Reason.NOTHING_TO_PLAY);
    }

    @Test
    void rejectsAViewerOfferThatDoesNotReceive() {
        NegotiationFailure f = refused(Fixtures.sdp(Fixtures.CHROMIUM_PUBLISHER), CHROMIUM_PUBLISHER);
        assertThat(f).isEqualTo(new NegotiationFailure(Reason.WRONG_DIRECTION,
                "the audio m-section (mid 0) is sendonly; a WHEP offer must receive (recvonly or sendrecv)"));
    }

    @Test
    void rejectsAViewerOfferWithTwoVideoSections() {
        String viewer = Fixtures.text(Fixtures.CHROMIUM_VIEWER_AUDIO_ONLY).replace("m=audio", "m=video").replace("a=mid:0", "a=mid:0")
                + Fixtures.text(Fixtures.CHROMIUM_VIEWER_AUDIO_ONLY).split("(?=m=audio)")[1].replace("m=audio", "m=video").replace("a=mid:0", "a=mid:1");
        assertThat(refused(Fixtures.parse(viewer.replace("BUNDLE 0", "BUNDLE 0 1")), CHROMIUM_PUBLISHER).reason())
                .isEqualTo(Reason.TOO_MANY_TRACKS);
    }

    @Test
    void usesTheViewersExtensionIds() {
        String viewer = Fixtures.text(Fixtures.CHROMIUM_VIEWER)
                .replace("a=extmap:4 urn:ietf:params:rtp-hdrext:sdes:mid", "a=extmap:9 urn:ietf:params:rtp-hdrext:sdes:mid")
                .replace("a=extmap:3 http://www.ietf.org/id/draft-holmer-rmcat-transport-wide-cc-extensions-01",
                        "a=extmap:12 http://www.ietf.org/id/draft-holmer-rmcat-transport-wide-cc-extensions-01");
        PlaybackAnswer a = answered(Fixtures.parse(viewer), CHROMIUM_PUBLISHER);
        assertThat(a.tracks().get(1).extensions()).isEqualTo(new HeaderExtensions(9, 2, 12, 0, 0, 0));
        assertThat(a.answer().media().get(1).extMaps()).containsExactly(ExtMap.of(2, HeaderExtensions.URI_ABS_SEND_TIME),
                ExtMap.of(12, HeaderExtensions.URI_TRANSPORT_CC), ExtMap.of(9, HeaderExtensions.URI_MID));
    }

    @Test
    void leavesRtxOutWhenTheViewerDidNotOfferIt() {
        String viewer = Fixtures.text(Fixtures.CHROMIUM_VIEWER).replace("a=fmtp:109 apt=108\r\n", "");
        PlaybackAnswer a = answered(Fixtures.parse(viewer), CHROMIUM_PUBLISHER);
        TrackParameters video = a.tracks().get(1);
        assertThat(video.codec().rtxPayloadType()).isEqualTo(-1);
        assertThat(video.rtxSsrc()).isZero();
        assertThat(a.answer().media().get(1).formats()).containsExactly("108");
        assertThat(a.answer().media().get(1).hasAttribute("ssrc-group")).isFalse();
    }

    @Test
    void becomesDtlsClientForAPassiveViewer() {
        String viewer = Fixtures.text(Fixtures.CHROMIUM_VIEWER).replace("a=setup:actpass", "a=setup:passive");
        PlaybackAnswer a = answered(Fixtures.parse(viewer), CHROMIUM_PUBLISHER);
        assertThat(a.transport().localRole()).isEqualTo(DtlsRole.CLIENT);
        assertThat(a.answer().media()).allSatisfy(m -> assertThat(m.setup()).contains(Setup.ACTIVE));
    }

    @Test
    void choosesDifferentSsrcsForEachViewer() {
        PlaybackNegotiator negotiator = new PlaybackNegotiator();
        Set<Long> seen = new HashSet<>();
        for (int i = 0; i < 50; i++) {
            PlaybackAnswer a = (PlaybackAnswer) negotiator.negotiate(Fixtures.sdp(Fixtures.CHROMIUM_VIEWER), CHROMIUM_PUBLISHER, SERVER);
            a.tracks().forEach(t -> seen.add(t.ssrc()));
        }
        assertThat(seen).hasSizeGreaterThan(95);
    }
}
