package live.cascade.signaling.sdp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;

import live.cascade.signaling.Fixtures;
import live.cascade.sfu.params.DtlsFingerprint;
import live.cascade.sfu.params.HeaderExtensions;
import live.cascade.sfu.params.MediaKind;

class SdpParserTest {
    static final List<String> ALL_SDP = Fixtures.ALL_SDP;

    @ParameterizedTest
    @FieldSource("ALL_SDP")
    void writesEachFixtureBackByteForByte(String name) throws Exception {
        String text = Fixtures.text(name);
        assertThat(text).contains("\r\n").doesNotContain("\n\n");
        assertThat(SdpWriter.write(SdpParser.parse(text))).isEqualTo(text);
    }

    @ParameterizedTest
    @FieldSource("ALL_SDP")
    void readsLfOnlyTheSameAsCrlf(String name) throws Exception {
        String crlf = Fixtures.text(name);
        assertThat(SdpParser.parse(crlf.replace("\r\n", "\n"))).isEqualTo(SdpParser.parse(crlf));
    }

    @ParameterizedTest
    @FieldSource("ALL_SDP")
    void toleratesTrailingBlanksBlankLinesAndNoFinalLineEnd(String name) throws Exception {
        String crlf = Fixtures.text(name);
        String messy = crlf.replace("\r\n", " \t\r\n\r\n").stripTrailing();
        assertThat(SdpParser.parse(messy)).isEqualTo(SdpParser.parse(crlf));
    }

    @ParameterizedTest
    @FieldSource("ALL_SDP")
    void typedValuesDoNotDependOnAttributeOrder(String name) throws Exception {
        SessionDescription original = Fixtures.sdp(name);
        Random random = new Random(name.hashCode());
        List<MediaSection> shuffled = new ArrayList<>();
        for (MediaSection m : original.media()) {
            List<Attribute> attrs = new ArrayList<>(m.attributes());
            Collections.shuffle(attrs, random);
            shuffled.add(new MediaSection(m.media(), m.port(), m.numberOfPorts(), m.protocol(), m.formats(), m.lines(), attrs));
        }
        List<Attribute> session = new ArrayList<>(original.attributes());
        Collections.shuffle(session, random);
        SessionDescription reordered = SdpParser.parse(SdpWriter.write(
                new SessionDescription(original.origin(), original.sessionName(), original.lines(), session, shuffled)));
        for (int i = 0; i < original.media().size(); i++) {
            MediaSection a = original.media().get(i), b = reordered.media().get(i);
            assertThat(b.mid()).isEqualTo(a.mid());
            assertThat(b.direction()).isEqualTo(a.direction());
            assertThat(b.setup()).isEqualTo(a.setup());
            assertThat(b.iceUfrag()).isEqualTo(a.iceUfrag());
            assertThat(b.rtpMaps()).containsExactlyInAnyOrderElementsOf(a.rtpMaps());
            assertThat(b.fmtps()).containsExactlyInAnyOrderElementsOf(a.fmtps());
            assertThat(b.extMaps()).containsExactlyInAnyOrderElementsOf(a.extMaps());
            assertThat(b.candidates()).containsExactlyInAnyOrderElementsOf(a.candidates());
        }
        assertThat(reordered.bundleGroup()).isEqualTo(original.bundleGroup());
    }

    @Test
    void keepsUnknownAttributesAndLinesInOrder() throws Exception {
        String sdp = """
                v=0
                o=- 1 2 IN IP4 127.0.0.1
                s=-
                x=an unknown line type
                t=0 0
                a=x-session-thing:42
                a=msid-semantic: WMS
                m=audio 9 UDP/TLS/RTP/SAVPF 111
                c=IN IP4 0.0.0.0
                b=AS:64
                a=x-first
                a=mid:0
                a=x-second:with: colons: inside
                a=x-empty:
                """;
        SessionDescription d = SdpParser.parse(sdp);
        assertThat(d.lines()).containsExactly(SdpLine.of('x', "an unknown line type"), SdpLine.of('t', "0 0"));
        assertThat(d.attributes()).containsExactly(Attribute.of("x-session-thing", "42"), Attribute.of("msid-semantic", " WMS"));
        MediaSection m = d.media().get(0);
        assertThat(m.lines()).containsExactly(SdpLine.of('c', "IN IP4 0.0.0.0"), SdpLine.of('b', "AS:64"));
        assertThat(m.attributes()).containsExactly(Attribute.flag("x-first"), Attribute.of("mid", "0"),
                Attribute.of("x-second", "with: colons: inside"), Attribute.of("x-empty", ""));
        assertThat(m.attribute("x-second")).contains("with: colons: inside");
        assertThat(SdpWriter.write(d)).isEqualTo(sdp.replace("\n", "\r\n"));
    }

    @Test
    void readsTheChromiumPublisherOffer() {
        SessionDescription d = Fixtures.sdp(Fixtures.CHROMIUM_PUBLISHER);
        assertThat(d.origin().username()).isEqualTo("-");
        assertThat(d.bundleGroup()).contains(Group.bundle(List.of("0", "1")));
        assertThat(d.extmapAllowMixed()).isTrue();
        assertThat(d.iceLite()).isFalse();

        MediaSection audio = d.media().get(0);
        assertThat(audio.kind()).contains(MediaKind.AUDIO);
        assertThat(audio.port()).isEqualTo(50660);
        assertThat(audio.payloadTypes()).containsExactly(111, 63, 9, 0, 8, 13, 110, 126);
        assertThat(audio.mid()).contains("0");
        assertThat(audio.direction()).contains(Direction.SENDONLY);
        assertThat(audio.rtpMap(111)).contains(new RtpMap(111, "opus", 48000, 2));
        assertThat(audio.rtpMap(0)).contains(new RtpMap(0, "PCMU", 8000, 1));
        assertThat(audio.fmtp(111).orElseThrow().parameters()).containsEntry("minptime", "10").containsEntry("useinbandfec", "1");
        assertThat(audio.rtcpFeedback(111)).containsExactly(new RtcpFeedback(111, "transport-cc"));
        assertThat(audio.extMaps()).contains(ExtMap.of(1, HeaderExtensions.URI_AUDIO_LEVEL), ExtMap.of(4, HeaderExtensions.URI_MID));
        assertThat(audio.msids()).first().isEqualTo(new Msid("76cb7ed9-af1c-42e5-94fc-494722f7a789", "ce5ce3d3-68cc-41ad-a485-1836c5cb6577"));
        assertThat(audio.ssrcs()).extracting(SsrcAttribute::ssrc).containsOnly(22469585L);
        assertThat(audio.iceUfrag()).contains("sPOD");
        assertThat(audio.icePwd()).contains("VWWLHwp8PfKx5nWopjfqhO++");
        assertThat(audio.iceOptions()).containsExactly("trickle");
        assertThat(audio.setup()).contains(Setup.ACTPASS);
        assertThat(audio.fingerprints()).containsExactly(new DtlsFingerprint("sha-256",
                "88:5A:5C:50:96:8A:6B:67:32:9D:2F:DD:41:CB:E9:61:79:FF:B8:AD:16:FF:09:11:5D:72:9E:25:62:39:FC:77"));
        assertThat(audio.rtcpMux()).isTrue();
        assertThat(audio.rtcpMuxOnly()).isFalse();
        assertThat(audio.rtcpRsize()).isTrue();
        assertThat(audio.endOfCandidates()).isFalse();
        assertThat(audio.isRejected()).isFalse();

        List<IceCandidate> candidates = audio.candidates();
        assertThat(candidates).hasSize(4);
        assertThat(candidates.get(0)).isEqualTo(new IceCandidate("2639020635", 1, "udp", 2122194687L, "192.0.2.2", 50660,
                "host", List.of("generation", "0", "network-id", "1")));
        assertThat(candidates.get(1).address()).isEqualTo("fd00::2");
        assertThat(candidates.get(2).isUdp()).isFalse();
        assertThat(candidates.get(2).extension("tcptype")).contains("active");

        MediaSection video = d.media().get(1);
        assertThat(video.kind()).contains(MediaKind.VIDEO);
        assertThat(video.fmtp(108).orElseThrow().parameter("profile-level-id")).contains("42e01f");
        assertThat(video.rtcpFeedback(108)).extracting(RtcpFeedback::feedback)
                .containsExactly("goog-remb", "transport-cc", "ccm fir", "nack", "nack pli");
        assertThat(video.ssrcGroups()).containsExactly(new SsrcGroup("FID", List.of(2404595010L, 131706807L)));
        assertThat(video.extMaps()).contains(ExtMap.of(10, HeaderExtensions.URI_RID), ExtMap.of(14, "urn:ietf:params:rtp-hdrext:toffset"));
        assertThat(d.directionOf(video)).isEqualTo(Direction.SENDONLY);
    }

    @Test
    void readsTheFfmpegOffer() {
        SessionDescription d = Fixtures.sdp(Fixtures.FFMPEG);
        assertThat(d.origin().username()).isEqualTo("FFmpeg");
        assertThat(d.sessionName()).isEqualTo("FFmpegPublishSession");
        assertThat(d.attribute("msid-semantic")).contains(" WMS");
        MediaSection video = d.media().get(1);
        assertThat(video.setup()).contains(Setup.PASSIVE);
        assertThat(video.candidates()).isEmpty();
        assertThat(video.rtpMap(105)).contains(new RtpMap(105, "rtx", 90000, 1));
        assertThat(video.fmtp(105).orElseThrow().parameter("apt")).contains("106");
        assertThat(video.msids()).contains(new Msid("FFmpeg", "video"));
        assertThat(d.media().get(0).ssrcs()).containsExactly(new SsrcAttribute(793473894L, "cname", "FFmpeg"),
                new SsrcAttribute(793473894L, "msid", "FFmpeg audio"));
    }

    @Test
    void readsRidAndSimulcast() throws Exception {
        MediaSection video = Fixtures.sdp(Fixtures.CHROMIUM_SIMULCAST).media().get(1);
        assertThat(video.rids()).containsExactly(new Rid("h", Rid.Direction.SEND, ""), new Rid("m", Rid.Direction.SEND, ""),
                new Rid("l", Rid.Direction.SEND, ""));
        assertThat(video.simulcast()).contains(new Simulcast(List.of(List.of("h"), List.of("m"), List.of("l")), List.of()));
        assertThat(Simulcast.parse("recv 1,~2;3 send a")).isEqualTo(
                new Simulcast(List.of(List.of("a")), List.of(List.of("1", "~2"), List.of("3"))));
        assertThat(Optional.of(Rid.parse("f send pt=96;max-width=1280"))).contains(new Rid("f", Rid.Direction.SEND, "pt=96;max-width=1280"));
    }

    @Test
    void readsExtmapDirectionAndAttributes() throws Exception {
        assertThat(ExtMap.parse("3/recvonly urn:x extra stuff")).isEqualTo(
                new ExtMap(3, Optional.of(Direction.RECVONLY), "urn:x", "extra stuff"));
        assertThat(ExtMap.parse("200 urn:two-byte").id()).isEqualTo(200);
    }

    @Test
    void seesRejectedAndBundleOnlySections() {
        assertThat(Fixtures.sdp(Fixtures.REJECTED_VIDEO).media().get(1).isRejected()).isTrue();
        MediaSection bundleOnly = Fixtures.sdp(Fixtures.BUNDLE_ONLY).media().get(1);
        assertThat(bundleOnly.port()).isZero();
        assertThat(bundleOnly.bundleOnly()).isTrue();
        assertThat(bundleOnly.isRejected()).isFalse();
    }

    @Test
    void inheritsSessionLevelTransportAttributes() throws Exception {
        SessionDescription d = SdpParser.parse("""
                v=0
                o=- 1 1 IN IP4 0.0.0.0
                s=-
                t=0 0
                a=ice-ufrag:sess
                a=ice-pwd:sessionpassword1234567
                a=fingerprint:sha-256 AA:BB
                a=setup:passive
                a=sendonly
                m=audio 9 UDP/TLS/RTP/SAVPF 111
                a=mid:0
                m=video 9 UDP/TLS/RTP/SAVPF 96
                a=mid:1
                a=ice-ufrag:own
                a=inactive
                """);
        MediaSection audio = d.media().get(0), video = d.media().get(1);
        assertThat(d.iceUfragOf(audio)).contains("sess");
        assertThat(d.iceUfragOf(video)).contains("own");
        assertThat(d.icePwdOf(video)).contains("sessionpassword1234567");
        assertThat(d.setupOf(audio)).contains(Setup.PASSIVE);
        assertThat(d.fingerprintsOf(audio)).containsExactly(new DtlsFingerprint("sha-256", "aa:bb"));
        assertThat(d.directionOf(audio)).isEqualTo(Direction.SENDONLY);
        assertThat(d.directionOf(video)).isEqualTo(Direction.INACTIVE);
        assertThat(d.section("1")).contains(video);
    }

    @Test
    void readsBareCrLineEndsAndAByteOrderMark() throws Exception {
        String crlf = Fixtures.text(Fixtures.FFMPEG);
        assertThat(SdpParser.parse("\uFEFF" + crlf.replace("\r\n", "\r"))).isEqualTo(SdpParser.parse(crlf));
    }

    // --- failures: a value naming the line and the problem ---------------------------------------------------------

    private static SdpParseException failure(String sdp) {
        try {
            SdpParser.parse(sdp);
        } catch (SdpParseException e) {
            return e;
        }
        throw new AssertionError("parsed: " + sdp);
    }

    private static final String HEAD = "v=0\no=- 1 1 IN IP4 0.0.0.0\ns=-\nt=0 0\nm=audio 9 UDP/TLS/RTP/SAVPF 111\n";

    @Test
    void rejectsAnEmptyBody() {
        assertThat(failure("").getMessage()).isEqualTo("empty SDP: no v=0 line");
        assertThat(failure(" \r\n\r\n").getMessage()).isEqualTo("empty SDP: no v=0 line");
    }

    @Test
    void rejectsABodyThatIsNotSdp() {
        SdpParseException e = failure("{\"type\":\"offer\"}");
        assertThat(e.line()).isEqualTo(1);
        assertThat(e.getMessage()).isEqualTo("line 1: expected '<letter>=<value>', got '{\"type\":\"offer\"}'");
    }

    @Test
    void rejectsSdpNotStartingWithVersion() {
        assertThat(failure("o=- 1 1 IN IP4 0.0.0.0\nv=0\n").getMessage()).isEqualTo("line 1: SDP must start with v=0, got 'o=- 1 1 IN IP4 0.0.0.0'");
        assertThat(failure("v=1\n").getMessage()).isEqualTo("line 1: unsupported SDP version '1'");
    }

    @Test
    void rejectsMissingOriginOrSessionName() {
        assertThat(failure("v=0\ns=-\n").getMessage()).isEqualTo("missing o= line");
        assertThat(failure("v=0\no=- 1 1 IN IP4 0.0.0.0\n").getMessage()).isEqualTo("missing s= line");
        assertThat(failure("v=0\no=- 1 1 IN IP4\n").getMessage()).startsWith("line 2: o= needs 6 fields");
        assertThat(failure("v=0\no=- 1 1 IN IP4 0.0.0.0\no=- 1 1 IN IP4 0.0.0.0\n").getMessage()).isEqualTo("line 3: second o= line");
    }

    @Test
    void rejectsMalformedMediaLines() {
        assertThat(failure("v=0\no=- 1 1 IN IP4 0.0.0.0\ns=-\nm=audio 9\n").getMessage())
                .isEqualTo("line 4: m= line 'audio 9' is not '<media> <port> <proto> <fmt> ...'");
        assertThat(failure("v=0\no=- 1 1 IN IP4 0.0.0.0\ns=-\nm=audio 70000 RTP/AVP 0\n").getMessage())
                .isEqualTo("line 4: m= port 70000 is out of range 0-65535");
        assertThat(failure("v=0\no=- 1 1 IN IP4 0.0.0.0\ns=-\nm=audio nine RTP/AVP 0\n").getMessage())
                .isEqualTo("line 4: m= port 'nine' is not a number");
        assertThat(failure(HEAD + "t=0 0\n").getMessage()).isEqualTo("line 6: t= is not allowed inside an m-section");
    }

    @Test
    void namesTheLineOfABadAttribute() {
        SdpParseException e = failure(HEAD + "a=mid:0\na=rtpmap:111 opus\n");
        assertThat(e.line()).isEqualTo(7);
        assertThat(e.getMessage()).isEqualTo("line 7: a=rtpmap value '111 opus' is not '<payload type> <encoding name>/<clock rate>[/<channels>]'");
        assertThat(failure(HEAD + "a=rtpmap:300 opus/48000\n").getMessage()).isEqualTo("line 6: a=rtpmap payload type 300 is out of range 0-127");
        assertThat(failure(HEAD + "a=fmtp:x a=b\n").getMessage()).isEqualTo("line 6: a=fmtp payload type 'x' is not a number");
        assertThat(failure(HEAD + "a=rtcp-fb:111\n").getMessage()).isEqualTo("line 6: a=rtcp-fb value '111' has no feedback type");
        assertThat(failure(HEAD + "a=extmap:0 urn:x\n").getMessage()).isEqualTo("line 6: a=extmap id 0 is out of range 1-255");
        assertThat(failure(HEAD + "a=extmap:1/sideways urn:x\n").getMessage()).isEqualTo("line 6: a=extmap direction 'sideways' is not a direction");
        assertThat(failure(HEAD + "a=ssrc:4294967296 cname:x\n").getMessage()).isEqualTo("line 6: a=ssrc id 4294967296 is out of range 0-4294967295");
        assertThat(failure(HEAD + "a=ssrc-group:FID 1 two\n").getMessage()).isEqualTo("line 6: a=ssrc-group ssrc 'two' is not a number");
        assertThat(failure(HEAD + "a=rid:h sideways\n").getMessage()).isEqualTo("line 6: a=rid direction 'sideways' is not send or recv in 'h sideways'");
        assertThat(failure(HEAD + "a=simulcast:send\n").getMessage()).startsWith("line 6: a=simulcast value 'send' is not");
        assertThat(failure(HEAD + "a=setup:maybe\n").getMessage()).isEqualTo("line 6: a=setup value 'maybe' is not one of actpass, active, passive, holdconn");
        assertThat(failure(HEAD + "a=fingerprint:sha-256\n").getMessage()).startsWith("line 6: a=fingerprint value 'sha-256' is not");
        assertThat(failure(HEAD + "a=fingerprint:sha-256 ZZ:11\n").getMessage()).isEqualTo("line 6: a=fingerprint digest 'ZZ:11' is not colon-separated hex");
        assertThat(failure(HEAD + "a=candidate:1 1 udp 100 1.2.3.4 5 host\n").getMessage()).startsWith("line 6: a=candidate value '1 1 udp 100 1.2.3.4 5 host' is not");
        assertThat(failure(HEAD + "a=candidate:1 1 udp 100 1.2.3.4 port typ host\n").getMessage()).isEqualTo("line 6: candidate port 'port' is not a number");
        assertThat(failure(HEAD + "a=msid:a b c\n").getMessage()).isEqualTo("line 6: msid value 'a b c' is not '<stream id> [<track id>]'");
        assertThat(failure(HEAD + "a=ice-ufrag:two words\n").getMessage()).isEqualTo("line 6: a=ice-ufrag value 'two words' is not a single token");
        assertThat(failure(HEAD + "a=mid\n").getMessage()).isEqualTo("line 6: a=mid needs a value");
        assertThat(failure(HEAD + "a=:x\n").getMessage()).isEqualTo("line 6: attribute has no name: 'a=:x'");
        assertThat(failure(HEAD + "a=two words:x\n").getMessage()).isEqualTo("line 6: attribute name 'two words' contains a blank");
    }

    @Test
    void rejectsContradictionsWithinASection() {
        assertThat(failure(HEAD + "a=mid:0\na=mid:1\n").getMessage()).isEqualTo("line 7: a=mid appears twice in the same section");
        assertThat(failure(HEAD + "a=sendonly\na=recvonly\n").getMessage()).isEqualTo("line 7: a=recvonly conflicts with a=sendonly in the same section");
        assertThat(failure(HEAD + "a=rtpmap:111 opus/48000/2\na=rtpmap:111 PCMU/8000\n").getMessage()).isEqualTo("line 7: payload type 111 has a second a=rtpmap");
        assertThat(failure(HEAD + "a=extmap:1 urn:a\na=extmap:1 urn:b\n").getMessage()).isEqualTo("line 7: extmap id 1 is used twice");
        assertThat(failure(HEAD + "a=mid:0\nm=video 9 UDP/TLS/RTP/SAVPF 96\na=mid:0\n").getMessage()).isEqualTo("line 8: mid '0' is already used by m-section 1");
    }

    @Test
    void quotesControlCharactersAndCutsLongValuesInMessages() {
        String message = failure(HEAD + "a=setup:\u0001" + "x".repeat(200) + "\n").getMessage();
        assertThat(message).contains("\\x01").contains("...").hasSizeLessThan(200);
    }

    @Test
    void parsesAFragmentWithoutSessionLines() throws Exception {
        SdpFragment f = SdpParser.parseFragment(Fixtures.text(Fixtures.TRICKLE));
        assertThat(f.iceUfrag()).contains("sPOD");
        assertThat(f.media()).hasSize(1);
        assertThat(f.media().get(0).candidates()).hasSize(4);
        assertThat(SdpWriter.write(f)).isEqualTo(Fixtures.text(Fixtures.TRICKLE));
        assertThat(SdpParser.parseFragment("").media()).isEmpty();
        assertThatThrownBy(() -> SdpParser.parseFragment("v=0\n")).isInstanceOf(SdpParseException.class)
                .hasMessage("line 1: v= does not belong in an SDP fragment");
    }
}
