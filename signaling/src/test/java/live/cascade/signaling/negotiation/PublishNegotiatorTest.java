package live.cascade.signaling.negotiation;

import static live.cascade.signaling.negotiation.NegotiationFixtures.SERVER;
import static live.cascade.signaling.negotiation.NegotiationFixtures.accepted;
import static live.cascade.signaling.negotiation.NegotiationFixtures.publish;
import static live.cascade.signaling.negotiation.NegotiationFixtures.refused;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;

import live.cascade.signaling.Fixtures;
import live.cascade.signaling.negotiation.NegotiationFailure.Reason;
import live.cascade.signaling.sdp.Attribute;
import live.cascade.signaling.sdp.Direction;
import live.cascade.signaling.sdp.ExtMap;
import live.cascade.signaling.sdp.Group;
import live.cascade.signaling.sdp.IceCandidate;
import live.cascade.signaling.sdp.MediaSection;
import live.cascade.signaling.sdp.Rid;
import live.cascade.signaling.sdp.SdpParser;
import live.cascade.signaling.sdp.SessionDescription;
import live.cascade.signaling.sdp.Setup;
import live.cascade.sfu.params.Codec;
import live.cascade.sfu.params.DtlsFingerprint;
import live.cascade.sfu.params.DtlsRole;
import live.cascade.sfu.params.HeaderExtensions;
import live.cascade.sfu.params.IceParameters;
import live.cascade.sfu.params.MediaKind;
import live.cascade.sfu.params.TrackParameters;
import live.cascade.sfu.params.TransportParameters;

class PublishNegotiatorTest {

    private static String edit(String fixture, String from, String to) {
        String text = Fixtures.text(fixture);
        assertThat(text).contains(from);
        return text.replace(from, to);
    }

    @Test
    void negotiatesTheChromiumPublisherOffer() throws Exception {
        PublishAnswer a = accepted(Fixtures.CHROMIUM_PUBLISHER);

        assertThat(a.transport()).isEqualTo(new TransportParameters(new IceParameters("sPOD", "VWWLHwp8PfKx5nWopjfqhO++"),
                new DtlsFingerprint("sha-256", "88:5A:5C:50:96:8A:6B:67:32:9D:2F:DD:41:CB:E9:61:79:FF:B8:AD:16:FF:09:11:5D:72:9E:25:62:39:FC:77"),
                DtlsRole.SERVER));
        assertThat(a.tracks()).containsExactly(
                new TrackParameters(MediaKind.AUDIO, "0",
                        new Codec(111, "opus", 48000, 2, "minptime=10;useinbandfec=1", List.of("transport-cc"), -1),
                        22469585L, 0, new HeaderExtensions(4, 2, 3, 1, 0, 0)),
                new TrackParameters(MediaKind.VIDEO, "1",
                        new Codec(108, "H264", 90000, 1, "level-asymmetry-allowed=1;packetization-mode=1;profile-level-id=42e01f",
                                List.of("goog-remb", "transport-cc", "ccm fir", "nack", "nack pli"), 109),
                        2404595010L, 131706807L, new HeaderExtensions(4, 2, 3, 0, 0, 0)));

        SessionDescription answer = a.answer();
        assertThat(answer.iceLite()).isTrue();
        assertThat(answer.bundleGroup()).contains(Group.bundle(List.of("0", "1")));
        assertThat(answer.extmapAllowMixed()).isTrue();
        for (MediaSection m : answer.media()) {
            assertThat(m.direction()).contains(Direction.RECVONLY);
            assertThat(m.rtcpMux()).isTrue();
            assertThat(m.rtcpMuxOnly()).isTrue();
            assertThat(m.iceUfrag()).contains(NegotiationFixtures.SERVER_ICE.ufrag());
            assertThat(m.icePwd()).contains(NegotiationFixtures.SERVER_ICE.password());
            assertThat(m.fingerprints()).containsExactly(NegotiationFixtures.SERVER_FINGERPRINT);
            assertThat(m.setup()).contains(Setup.PASSIVE);
            assertThat(m.candidates()).containsExactly(
                    IceCandidate.parse("1 1 udp 2130706431 203.0.113.10 10000 typ host"),
                    IceCandidate.parse("2 1 udp 2130706175 2001:db8::10 10001 typ host"));
            assertThat(m.endOfCandidates()).isTrue();
            assertThat(m.port()).isEqualTo(10000);
            assertThat(m.lines()).extracting(Object::toString).containsExactly("c=IN IP4 203.0.113.10");
            assertThat(m.hasAttribute("ssrc")).isFalse();
            assertThat(m.hasAttribute("msid")).isFalse();
        }
        MediaSection video = answer.media().get(1);
        assertThat(video.formats()).containsExactly("108", "109");
        assertThat(video.attributeValues("rtpmap")).containsExactly("108 H264/90000", "109 rtx/90000");
        assertThat(video.attributeValues("fmtp")).containsExactly(
                "108 level-asymmetry-allowed=1;packetization-mode=1;profile-level-id=42e01f", "109 apt=108");
        assertThat(video.attributeValues("rtcp-fb")).containsExactly(
                "108 goog-remb", "108 transport-cc", "108 ccm fir", "108 nack", "108 nack pli");
        assertThat(video.extMaps()).containsExactly(ExtMap.of(2, HeaderExtensions.URI_ABS_SEND_TIME),
                ExtMap.of(3, HeaderExtensions.URI_TRANSPORT_CC), ExtMap.of(4, HeaderExtensions.URI_MID));
        MediaSection audio = answer.media().get(0);
        assertThat(audio.formats()).containsExactly("111");
        assertThat(audio.extMaps()).extracting(ExtMap::id).containsExactly(1, 2, 3, 4);

        // The text we send is valid SDP that reads back to the same answer.
        assertThat(a.sdp()).startsWith("v=0\r\n").endsWith("a=end-of-candidates\r\n").doesNotContain("\n\n");
        assertThat(SdpParser.parse(a.sdp())).isEqualTo(answer);
    }

    @Test
    void negotiatesTheFfmpegOfferAsDtlsClient() {
        PublishAnswer a = accepted(Fixtures.FFMPEG);
        assertThat(a.transport().localRole()).isEqualTo(DtlsRole.CLIENT);
        assertThat(a.transport().remoteIce()).isEqualTo(new IceParameters("96d69d60", "c392480d45fc0b957775a10042df600d"));
        assertThat(a.tracks()).containsExactly(
                new TrackParameters(MediaKind.AUDIO, "0", new Codec(111, "opus", 48000, 2, "", List.of(), -1),
                        793473894L, 0, HeaderExtensions.NONE),
                new TrackParameters(MediaKind.VIDEO, "1",
                        new Codec(106, "H264", 90000, 1, "level-asymmetry-allowed=1;packetization-mode=1;profile-level-id=42001e",
                                List.of("nack"), 105),
                        793473895L, 793473896L, HeaderExtensions.NONE));
        for (MediaSection m : a.answer().media()) {
            assertThat(m.setup()).contains(Setup.ACTIVE);
            // FFmpeg reads the first udp host candidate of the answer; its offer had none of its own.
            assertThat(m.candidates()).first().satisfies(c -> assertThat(c.isUdp()).isTrue());
        }
        assertThat(Fixtures.sdp(Fixtures.FFMPEG).media()).allSatisfy(m -> assertThat(m.candidates()).isEmpty());
        assertThat(a.answer().extmapAllowMixed()).isTrue();
    }

    @Test
    void answersFfmpegDtlsActiveAsDtlsServer() {
        PublishAnswer a = accepted(Fixtures.FFMPEG_DTLS_ACTIVE);
        assertThat(a.transport().localRole()).isEqualTo(DtlsRole.SERVER);
        assertThat(a.answer().media()).allSatisfy(m -> assertThat(m.setup()).contains(Setup.PASSIVE));
    }

    @Test
    void treatsAMissingSetupAsActive() {
        String offer = Fixtures.text(Fixtures.FFMPEG).replace("a=setup:passive\r\n", "");
        PublishAnswer a = (PublishAnswer) publish(Fixtures.parse(offer));
        assertThat(a.transport().localRole()).isEqualTo(DtlsRole.SERVER);
    }

    @Test
    void acceptsAnAudioOnlyOffer() {
        PublishAnswer a = accepted(Fixtures.CHROMIUM_AUDIO_ONLY);
        assertThat(a.tracks()).extracting(TrackParameters::kind).containsExactly(MediaKind.AUDIO);
        assertThat(a.answer().bundleGroup()).contains(Group.bundle(List.of("0")));
    }

    @Test
    void answersChromiumSimulcastWithOneTrackPerLayer() {
        SessionDescription offer = Fixtures.sdp(Fixtures.CHROMIUM_SIMULCAST);
        assertThat(offer.media().get(1).rids()).hasSize(3);
        PublishAnswer a = accepted(Fixtures.CHROMIUM_SIMULCAST);
        MediaSection video = a.answer().media().get(1);
        assertThat(video.rids()).extracting(Rid::id).containsExactly("h", "m", "l");
        assertThat(video.rids()).extracting(Rid::direction).containsOnly(Rid.Direction.RECV);
        assertThat(video.simulcast()).hasValueSatisfying(sim -> {
            assertThat(sim.recv()).containsExactly(List.of("h"), List.of("m"), List.of("l"));
            assertThat(sim.send()).isEmpty();
        });
        assertThat(video.extMaps()).extracting(ExtMap::uri)
                .contains(HeaderExtensions.URI_RID, HeaderExtensions.URI_REPAIRED_RID, HeaderExtensions.URI_MID);
        // Audio, then one track per layer of the one video section; no a=ssrc: each layer's SSRC comes from its rid.
        assertThat(a.tracks()).extracting(TrackParameters::rid).containsExactly("", "h", "m", "l");
        for (TrackParameters layer : a.tracks().subList(1, 4)) {
            assertThat(layer.mid()).isEqualTo("1");
            assertThat(layer.ssrc()).isZero();
            assertThat(layer.rtxSsrc()).isZero();
            assertThat(layer.codec().name()).isEqualTo("H264");
            assertThat(layer.codec().rtxPayloadType()).isEqualTo(a.tracks().get(1).codec().payloadType() + 1);
            assertThat(layer.extensions().rid()).isEqualTo(10);
            assertThat(layer.extensions().repairedRid()).isEqualTo(11);
            assertThat(layer.extensions().mid()).isEqualTo(4);
        }
        // The audio section never gets the rid extensions.
        assertThat(a.answer().media().get(0).extMaps()).extracting(ExtMap::uri).doesNotContain(HeaderExtensions.URI_RID);
    }

    @Test
    void answersAnObs32SimulcastOffer() {
        PublishAnswer a = accepted(Fixtures.OBS_SIMULCAST);
        MediaSection video = a.answer().media().get(1);
        assertThat(video.rids()).extracting(Rid::id).containsExactly("0", "1", "2");
        assertThat(video.simulcast().orElseThrow().recv()).containsExactly(List.of("0"), List.of("1"), List.of("2"));
        assertThat(video.extMaps()).extracting(ExtMap::uri).containsExactly(HeaderExtensions.URI_RID);
        assertThat(a.tracks()).extracting(TrackParameters::rid).containsExactly("", "0", "1", "2");
        for (TrackParameters layer : a.tracks().subList(1, 4)) {
            assertThat(layer.codec().name()).isEqualTo("H264");
            // The one a=ssrc names a single layer, and which one is not said: every layer learns its own.
            assertThat(layer.ssrc()).isZero();
            assertThat(layer.extensions().rid()).isEqualTo(4);
            assertThat(layer.extensions().mid()).isZero();
        }
        assertThat(a.tracks().get(0).ssrc()).isEqualTo(2213542381L);
    }

    @Test
    void aSingleOfferedLayerIsNoSimulcast() {
        String sdp = Fixtures.text(Fixtures.OBS_SIMULCAST)
                .replace("a=rid:1 send\r\n", "").replace("a=rid:2 send\r\n", "")
                .replace("a=simulcast:send 0;1;2", "a=simulcast:send 0");
        PublishAnswer a = (PublishAnswer) NegotiationFixtures.publish(Fixtures.parse(sdp));
        assertThat(a.answer().media().get(1).hasAttribute("simulcast")).isFalse();
        assertThat(a.tracks()).extracting(TrackParameters::rid).containsExactly("", "");
        assertThat(a.tracks().get(1).ssrc()).isEqualTo(2213542382L);
    }

    @Test
    void declinesTheDataChannelSectionAndKeepsItsPlace() {
        PublishAnswer a = accepted(Fixtures.CHROMIUM_DATACHANNEL);
        assertThat(a.answer().media()).extracting(MediaSection::media).containsExactly("audio", "video", "application");
        MediaSection app = a.answer().media().get(2);
        assertThat(app.port()).isZero();
        assertThat(app.formats()).containsExactly("webrtc-datachannel");
        assertThat(app.mid()).contains("2");
        assertThat(app.protocol()).isEqualTo("UDP/DTLS/SCTP");
        assertThat(app.candidates()).isEmpty();
        assertThat(a.answer().bundleGroup()).contains(Group.bundle(List.of("0", "1")));
        assertThat(a.tracks()).hasSize(2);
    }

    @Test
    void answersAPortZeroSectionWithPortZero() {
        PublishAnswer a = accepted(Fixtures.REJECTED_VIDEO);
        assertThat(a.answer().media()).hasSize(2);
        assertThat(a.answer().media().get(1).port()).isZero();
        assertThat(a.answer().media().get(1).mid()).contains("1");
        assertThat(a.answer().bundleGroup()).contains(Group.bundle(List.of("0")));
        assertThat(a.tracks()).extracting(TrackParameters::kind).containsExactly(MediaKind.AUDIO);
    }

    @Test
    void acceptsABundleOnlySection() {
        PublishAnswer a = accepted(Fixtures.BUNDLE_ONLY);
        assertThat(a.tracks()).extracting(TrackParameters::kind).containsExactly(MediaKind.AUDIO, MediaKind.VIDEO);
        assertThat(a.answer().media().get(1).port()).isEqualTo(10000);
    }

    // --- codec choice ------------------------------------------------------------------------------------------------

    @Test
    void prefersConstrainedBaselineH264AmongSeveral() {
        // Chromium lists 42001f (pt 102) before 42e01f (pt 108); our preference puts 42e01f first.
        assertThat(accepted(Fixtures.CHROMIUM_PUBLISHER).tracks().get(1).codec().payloadType()).isEqualTo(108);
        PublishNegotiator baselineFirst = new PublishNegotiator(
                new CodecPreferences(List.of("opus"), List.of("H264"), List.of("42001f")), new Random(1));
        PublishAnswer a = (PublishAnswer) baselineFirst.negotiate(Fixtures.sdp(Fixtures.CHROMIUM_PUBLISHER), SERVER);
        assertThat(a.tracks().get(1).codec().payloadType()).isEqualTo(102);
        assertThat(a.tracks().get(1).codec().rtxPayloadType()).isEqualTo(103);
    }

    @Test
    void keepsAnUnlistedH264ProfileWhenItIsTheOnlyOne() {
        String offer = Fixtures.text(Fixtures.FFMPEG).replace("profile-level-id=42001e", "profile-level-id=640028");
        PublishAnswer a = (PublishAnswer) publish(Fixtures.parse(offer));
        assertThat(a.tracks().get(1).codec().fmtp()).contains("profile-level-id=640028");
    }

    @Test
    void followsTheConfiguredVideoPreference() {
        PublishNegotiator vp8First = new PublishNegotiator(
                new CodecPreferences(List.of("opus"), List.of("VP8", "H264"), List.of()), new Random(1));
        PublishAnswer a = (PublishAnswer) vp8First.negotiate(Fixtures.sdp(Fixtures.CHROMIUM_PUBLISHER), SERVER);
        assertThat(a.tracks().get(1).codec()).extracting(Codec::name, Codec::payloadType, Codec::rtxPayloadType)
                .containsExactly("VP8", 96, 97);
        PublishNegotiator av1Only = new PublishNegotiator(
                new CodecPreferences(List.of("opus"), List.of("AV1"), List.of()), new Random(1));
        PublishAnswer b = (PublishAnswer) av1Only.negotiate(Fixtures.sdp(Fixtures.CHROMIUM_PUBLISHER), SERVER);
        assertThat(b.tracks().get(1).codec().payloadType()).isEqualTo(45);
        assertThat(b.tracks().get(1).codec().fmtp()).isEqualTo("level-idx=5;profile=0;tier=0");
    }

    @Test
    void skipsH264WithoutPacketizationModeOne() {
        String offer = Fixtures.text(Fixtures.CHROMIUM_PUBLISHER).replace("packetization-mode=1", "packetization-mode=0");
        PublishAnswer a = (PublishAnswer) publish(Fixtures.parse(offer));
        assertThat(a.tracks().get(1).codec().name()).isEqualTo("VP8");
    }

    @Test
    void answersOnlyTheFeedbackWeImplement() {
        String offer = Fixtures.text(Fixtures.FFMPEG).replace("a=rtcp-fb:106 nack\r\n",
                "a=rtcp-fb:106 nack\r\na=rtcp-fb:106 ccm tmmbr\r\na=rtcp-fb:* nack pli\r\na=rtcp-fb:106 x-unknown\r\n");
        PublishAnswer a = (PublishAnswer) publish(Fixtures.parse(offer));
        assertThat(a.tracks().get(1).codec().rtcpFeedback()).containsExactly("nack", "nack pli");
        assertThat(a.answer().media().get(1).attributeValues("rtcp-fb")).containsExactly("106 nack", "106 nack pli");
    }

    @Test
    void keepsTheOfferersExtensionIds() {
        String offer = Fixtures.text(Fixtures.FFMPEG).replace("a=rtcp-mux\r\na=rtcp-rsize\r\n",
                "a=rtcp-mux\r\na=rtcp-rsize\r\na=extmap:9 " + HeaderExtensions.URI_MID + "\r\na=extmap:12/sendonly "
                        + HeaderExtensions.URI_TRANSPORT_CC + "\r\na=extmap:13/recvonly " + HeaderExtensions.URI_ABS_SEND_TIME
                        + "\r\na=extmap:5 urn:ietf:params:rtp-hdrext:toffset\r\n");
        PublishAnswer a = (PublishAnswer) publish(Fixtures.parse(offer));
        // recvonly from the publisher means it would never send abs-send-time, so it is not negotiated.
        assertThat(a.tracks().get(1).extensions()).isEqualTo(new HeaderExtensions(9, 0, 12, 0, 0, 0));
        assertThat(a.answer().media().get(1).attributeValues("extmap"))
                .containsExactly("9 " + HeaderExtensions.URI_MID, "12/recvonly " + HeaderExtensions.URI_TRANSPORT_CC);
    }

    @Test
    void readsSessionLevelExtensionsToo() {
        String offer = Fixtures.text(Fixtures.FFMPEG).replace("a=extmap-allow-mixed\r\n",
                "a=extmap-allow-mixed\r\na=extmap:7 " + HeaderExtensions.URI_MID + "\r\n");
        PublishAnswer a = (PublishAnswer) publish(Fixtures.parse(offer));
        assertThat(a.tracks()).allSatisfy(t -> assertThat(t.extensions().mid()).isEqualTo(7));
    }

    @Test
    void isDeterministicForAGivenRandomSource() {
        PublishNegotiation first = publish(Fixtures.sdp(Fixtures.CHROMIUM_PUBLISHER));
        PublishNegotiation second = publish(Fixtures.sdp(Fixtures.CHROMIUM_PUBLISHER));
        assertThat(((PublishAnswer) first).sdp()).isEqualTo(((PublishAnswer) second).sdp());
    }

    // --- 422 reasons -------------------------------------------------------------------------------------------------

    @Test
    void rejectsOfferWithoutAudioOrVideo() {
        String dataOnly = """
                v=0
                o=- 1 2 IN IP4 127.0.0.1
                s=-
                t=0 0
                a=group:BUNDLE 0
                m=application 9 UDP/DTLS/SCTP webrtc-datachannel
                c=IN IP4 0.0.0.0
                a=ice-ufrag:abcd
                a=ice-pwd:abcdefghijklmnopqrstuvwx
                a=fingerprint:sha-256 AA:BB
                a=setup:actpass
                a=mid:0
                a=sctp-port:5000
                """;
        NegotiationFailure f = refused(publish(Fixtures.parse(dataOnly)));
        assertThat(f).isEqualTo(new NegotiationFailure(Reason.NO_MEDIA, "the offer has no audio and no video m-section"));
        String allRejected = Fixtures.text(Fixtures.FFMPEG).replace("m=audio 9 ", "m=audio 0 ").replace("m=video 9 ", "m=video 0 ");
        assertThat(refused(publish(Fixtures.parse(allRejected))).reason()).isEqualTo(Reason.NO_MEDIA);
    }

    @Test
    void rejectsOfferWithTwoVideoTracks() {
        NegotiationFailure f = refused(publish(Fixtures.sdp(Fixtures.CHROMIUM_TWO_VIDEO)));
        assertThat(f.reason()).isEqualTo(Reason.TOO_MANY_TRACKS);
        assertThat(f.detail()).isEqualTo("the offer has 2 video tracks (the video m-section (mid 1), the video m-section (mid 2)); "
                + "a session carries at most one audio and one video track");
    }

    @Test
    void rejectsOfferWithTwoAudioTracks() {
        String offer = Fixtures.text(Fixtures.FFMPEG).replace("m=video 9 UDP/TLS/RTP/SAVPF 106 105", "m=audio 9 UDP/TLS/RTP/SAVPF 106 105");
        assertThat(refused(publish(Fixtures.parse(offer))).reason()).isEqualTo(Reason.TOO_MANY_TRACKS);
    }

    @Test
    void rejectsOfferWithTwoMediaStreams() {
        NegotiationFailure f = refused(publish(Fixtures.sdp(Fixtures.CHROMIUM_TWO_STREAMS)));
        assertThat(f.reason()).isEqualTo(Reason.MULTIPLE_STREAMS);
        assertThat(f.detail()).startsWith("the audio m-section (mid 0) is in MediaStream '")
                .contains("but the video m-section (mid 1) is in MediaStream '").endsWith("'; send all tracks in one MediaStream");
        // The FFmpeg offer names its stream only in a=ssrc:... msid lines, which count too.
        String ffmpeg = Fixtures.text(Fixtures.FFMPEG).replace("a=msid:FFmpeg video\r\n", "")
                .replace("msid:FFmpeg video", "msid:Other video");
        assertThat(refused(publish(Fixtures.parse(ffmpeg))).reason()).isEqualTo(Reason.MULTIPLE_STREAMS);
    }

    @Test
    void acceptsTracksWithoutAStream() {
        String offer = Fixtures.text(Fixtures.FFMPEG).replace("msid:FFmpeg video", "msid:- video");
        assertThat(publish(Fixtures.parse(offer))).isInstanceOf(PublishAnswer.class);
    }

    @Test
    void rejectsOfferWithoutCommonCodecNamingTheOfferedCodecs() {
        NegotiationFailure f = refused(publish(Fixtures.sdp(Fixtures.CHROMIUM_NO_OPUS)));
        assertThat(f).isEqualTo(new NegotiationFailure(Reason.NO_COMMON_CODEC,
                "the audio m-section (mid 0) offers no codec we accept; we take opus, the offer has G722, PCMU, PCMA"));
        String video = Fixtures.text(Fixtures.FFMPEG).replace("packetization-mode=1", "packetization-mode=0");
        assertThat(refused(publish(Fixtures.parse(video))).detail()).isEqualTo(
                "the video m-section (mid 1) offers no codec we accept; we take H264 (packetization-mode 1), VP8, VP9, AV1, "
                        + "the offer has H264 (profile-level-id 42001e, packetization-mode 0)");
    }

    @Test
    void rejectsRecvonlyOrInactiveOffers() {
        NegotiationFailure f = refused(publish(Fixtures.sdp(Fixtures.CHROMIUM_VIEWER)));
        assertThat(f).isEqualTo(new NegotiationFailure(Reason.WRONG_DIRECTION,
                "the audio m-section (mid 0) is recvonly; a WHIP offer must send (sendonly or sendrecv)"));
        String inactive = Fixtures.text(Fixtures.FFMPEG).replace("a=mid:1\r\na=sendonly", "a=mid:1\r\na=inactive");
        assertThat(refused(publish(Fixtures.parse(inactive))).detail()).startsWith("the video m-section (mid 1) is inactive");
        String sendrecv = Fixtures.text(Fixtures.FFMPEG).replace("a=sendonly\r\n", "");
        assertThat(publish(Fixtures.parse(sendrecv))).isInstanceOf(PublishAnswer.class);
    }

    @Test
    void rejectsOffersWhoseTransportWeCannotUse() {
        record Case(String from, String to, String detail) {}
        List<Case> cases = List.of(
                new Case("a=group:BUNDLE 0 1\r\n", "", "the offer has no a=group:BUNDLE; all media must share one transport (max-bundle)"),
                new Case("a=group:BUNDLE 0 1\r\n", "a=group:BUNDLE 0\r\n", "mid 1 is not in the offer's BUNDLE group; all media must share one transport (max-bundle)"),
                new Case("a=rtcp-mux\r\na=rtcp-rsize", "a=rtcp-rsize", "the video m-section (mid 1) does not offer a=rtcp-mux, which is required"),
                new Case("m=video 9 UDP/TLS/RTP/SAVPF", "m=video 9 RTP/AVP", "the video m-section (mid 1) uses RTP/AVP; only DTLS-SRTP (UDP/TLS/RTP/SAVPF) is supported"),
                new Case("a=mid:1\r\n", "", "the video m-section #2 has no a=mid; offers must be JSEP offers with a mid per m-section"),
                new Case("a=setup:passive", "a=setup:holdconn", "the audio m-section (mid 0) says a=setup:holdconn; there would be no DTLS connection"));
        for (Case c : cases) {
            NegotiationFailure f = refused(publish(Fixtures.parse(Fixtures.text(Fixtures.FFMPEG).replace(c.from(), c.to()))));
            assertThat(f).as(c.to()).isEqualTo(new NegotiationFailure(Reason.UNSUPPORTED_TRANSPORT, c.detail()));
        }
        String noCredentials = Fixtures.text(Fixtures.FFMPEG).replaceAll("a=ice-pwd:[^\r]*\r\n", "");
        assertThat(refused(publish(Fixtures.parse(noCredentials))).detail()).isEqualTo("the audio m-section (mid 0) has no a=ice-pwd");
        String noFingerprint = Fixtures.text(Fixtures.FFMPEG).replaceAll("a=fingerprint:[^\r]*\r\n", "");
        assertThat(refused(publish(Fixtures.parse(noFingerprint))).detail())
                .isEqualTo("the audio m-section (mid 0) has no a=fingerprint; DTLS-SRTP needs one");
    }

    @Test
    void prefersTheSha256FingerprintWhenSeveralAreOffered() {
        String offer = Fixtures.text(Fixtures.FFMPEG).replace("a=setup:passive\r\na=mid:0",
                "a=setup:passive\r\na=mid:0\r\na=fingerprint:sha-1 AB:CD");
        String moved = offer.replaceFirst("(a=fingerprint:sha-256 [^\r]*\r\n)(a=setup:passive\r\na=mid:0\r\na=fingerprint:sha-1 AB:CD\r\n)", "$2$1");
        PublishAnswer a = (PublishAnswer) publish(Fixtures.parse(moved));
        assertThat(a.transport().remoteFingerprint().algorithm()).isEqualTo("sha-256");
    }

    @Test
    void neverPutsUnknownOfferAttributesIntoTheAnswer() {
        PublishAnswer a = accepted(Fixtures.CHROMIUM_PUBLISHER);
        List<String> names = a.answer().media().stream().flatMap(m -> m.attributes().stream()).map(Attribute::name).distinct().toList();
        assertThat(names).containsExactlyInAnyOrder("mid", "ice-ufrag", "ice-pwd", "fingerprint", "setup", "recvonly", "rtcp-mux",
                "rtcp-mux-only", "extmap", "rtpmap", "rtcp-fb", "fmtp", "candidate", "end-of-candidates");
    }
}
