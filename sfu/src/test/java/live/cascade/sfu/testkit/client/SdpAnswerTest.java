package live.cascade.sfu.testkit.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetSocketAddress;
import java.util.List;
import live.cascade.sfu.params.DtlsFingerprint;
import live.cascade.sfu.params.HeaderExtensions;
import live.cascade.sfu.params.IceParameters;
import org.junit.jupiter.api.Test;

class SdpAnswerTest {
    /** Shaped like the node's WHEP answer: ICE-lite, bundled, an RTX pair on video, transport in every section. */
    static final String VIEWER_ANSWER = String.join("\r\n",
            "v=0",
            "o=- 4611686018427387903 1 IN IP4 127.0.0.1",
            "s=-",
            "t=0 0",
            "a=group:BUNDLE 0 1",
            "a=ice-lite",
            "m=audio 10000 UDP/TLS/RTP/SAVPF 111",
            "c=IN IP4 192.0.2.7",
            "a=mid:0",
            "a=ice-ufrag:srv1",
            "a=ice-pwd:serverpassword0123456789",
            "a=fingerprint:sha-256 ab:cd:EF:01",
            "a=setup:passive",
            "a=sendonly",
            "a=rtcp-mux",
            "a=rtcp-mux-only",
            "a=extmap:4 urn:ietf:params:rtp-hdrext:sdes:mid",
            "a=msid:stream audio",
            "a=rtpmap:111 opus/48000/2",
            "a=fmtp:111 minptime=10;useinbandfec=1",
            "a=ssrc:1111 cname:node",
            "a=ssrc:1111 msid:stream audio",
            "a=candidate:1 1 udp 2130706431 192.0.2.7 10000 typ host",
            "a=candidate:2 1 udp 2130706175 2001:db8::7 10000 typ host",
            "a=candidate:3 1 tcp 1518280447 192.0.2.7 9 typ host tcptype passive",
            "a=end-of-candidates",
            "m=video 10000 UDP/TLS/RTP/SAVPF 102 103",
            "c=IN IP4 192.0.2.7",
            "a=mid:1",
            "a=ice-ufrag:srv1",
            "a=ice-pwd:serverpassword0123456789",
            "a=fingerprint:sha-256 ab:cd:EF:01",
            "a=setup:passive",
            "a=sendonly",
            "a=rtcp-mux",
            "a=rtcp-mux-only",
            "a=extmap:4/sendonly urn:ietf:params:rtp-hdrext:sdes:mid",
            "a=extmap:3 http://www.ietf.org/id/draft-holmer-rmcat-transport-wide-cc-extensions-01",
            "a=rtpmap:102 H264/90000",
            "a=rtcp-fb:102 nack",
            "a=rtcp-fb:102 nack pli",
            "a=fmtp:102 packetization-mode=1;profile-level-id=42e01f",
            "a=rtpmap:103 rtx/90000",
            "a=fmtp:103 apt=102",
            "a=ssrc-group:FID 2222 3333",
            "a=ssrc:2222 cname:node",
            "a=ssrc:3333 cname:node",
            "a=candidate:1 1 udp 2130706431 192.0.2.7 10000 typ host",
            "a=end-of-candidates",
            "");

    @Test
    void readsTransportCodecsExtensionsAndSsrcsOfEachSection() {
        SdpAnswer a = SdpAnswer.parse(VIEWER_ANSWER);

        assertThat(a.iceLite()).isTrue();
        assertThat(a.ufrag()).isEqualTo("srv1");
        assertThat(a.password()).isEqualTo("serverpassword0123456789");
        assertThat(a.fingerprint()).isEqualTo(new DtlsFingerprint("sha-256", "AB:CD:EF:01"));
        assertThat(a.weAreDtlsClient()).isTrue();
        // UDP only, each address once, in answer order.
        assertThat(a.candidates()).containsExactly(new InetSocketAddress("192.0.2.7", 10000), new InetSocketAddress("2001:db8::7", 10000));

        SdpAnswer.Section audio = a.section("audio").orElseThrow();
        assertThat(audio.mid()).isEqualTo("0");
        assertThat(audio.direction()).isEqualTo("sendonly");
        assertThat(audio.codec()).isEqualTo(new SdpAnswer.Format(111, "opus", 48_000, "minptime=10;useinbandfec=1", List.of()));
        assertThat(audio.ssrc()).isEqualTo(1111);
        assertThat(audio.extensionId(HeaderExtensions.URI_MID)).isEqualTo(4);

        SdpAnswer.Section video = a.section("video").orElseThrow();
        assertThat(video.codec().payloadType()).isEqualTo(102);
        assertThat(video.codec().feedback()).containsExactly("nack", "nack pli");
        assertThat(video.rtxFor(102)).isEqualTo(103);
        assertThat(video.ssrc()).isEqualTo(2222);
        assertThat(video.rtxSsrc()).isEqualTo(3333);
        assertThat(video.ssrcs()).containsExactly(2222L);
        assertThat(video.extensionId(HeaderExtensions.URI_MID)).as("a direction after the id").isEqualTo(4);
        assertThat(video.extensionId(HeaderExtensions.URI_TRANSPORT_CC)).isEqualTo(3);
        assertThat(video.extensionId(HeaderExtensions.URI_ABS_SEND_TIME)).isZero();
    }

    @Test
    void sessionLevelTransportAppliesToSectionsThatDoNotRepeatIt() {
        String sdp = String.join("\n", "v=0", "o=- 1 1 IN IP4 127.0.0.1", "s=-", "t=0 0",
                "a=ice-ufrag:sess", "a=ice-pwd:sessionpassword", "a=fingerprint:sha-256 00:11", "a=setup:active",
                "m=audio 9 UDP/TLS/RTP/SAVPF 111", "a=mid:a", "a=rtpmap:111 opus/48000/2",
                "a=candidate:1 1 UDP 1 127.0.0.1 5000 typ host", "");

        SdpAnswer a = SdpAnswer.parse(sdp);

        assertThat(a.ufrag()).isEqualTo("sess");
        assertThat(a.weAreDtlsClient()).as("the node said active: it connects to us").isFalse();
        assertThat(a.candidates()).containsExactly(new InetSocketAddress("127.0.0.1", 5000));
        assertThat(a.section("audio").orElseThrow().ssrc()).isZero();
    }

    @Test
    void aDeclinedSectionIsKeptButNotOffered() {
        String sdp = VIEWER_ANSWER.replace("m=audio 10000", "m=audio 0");

        SdpAnswer a = SdpAnswer.parse(sdp);

        assertThat(a.sections()).hasSize(2);
        assertThat(a.sections().getFirst().accepted()).isFalse();
        assertThat(a.section("audio")).isEmpty();
        assertThat(a.section("video")).isPresent();
    }

    @Test
    void whatTheClientCannotDoWithoutIsReportedByName() {
        assertThatThrownBy(() -> SdpAnswer.parse("{\"type\":\"problem\"}")).hasMessageContaining("v=0");
        assertThatThrownBy(() -> SdpAnswer.parse(VIEWER_ANSWER.replace("a=ice-pwd:serverpassword0123456789\r\n", "")))
                .hasMessageContaining("ice-pwd");
        assertThatThrownBy(() -> SdpAnswer.parse(VIEWER_ANSWER.replace("a=setup:passive", "a=setup:actpass")))
                .hasMessageContaining("actpass");
        assertThatThrownBy(() -> SdpAnswer.parse(VIEWER_ANSWER.replace("a=rtpmap:111 opus/48000/2", "a=rtpmap:111 opus/x/2")))
                .hasMessageContaining("clock rate");
        assertThatThrownBy(() -> SdpAnswer.parse(VIEWER_ANSWER.replace("typ host\r\na=candidate:2", "\r\na=candidate:2")))
                .hasMessageContaining("a=candidate");
        assertThatThrownBy(() -> SdpAnswer.parse(VIEWER_ANSWER.replace("m=audio 10000", "m=audio 0").replace("m=video 10000", "m=video 0")))
                .hasMessageContaining("declines every");
    }

    @Test
    void theOffersItWritesAreReadBackAsTheyWereMeant() {
        // Our offers are not answers, but share the lines the reader looks at: a round trip checks both ends.
        String offer = OfferWriter.publisher(new IceParameters("cli1", "clientpassword0123456789"),
                new DtlsFingerprint("sha-256", "AA:BB"), true, 0xCAFEL, 0xBEEFL);

        SdpAnswer read = SdpAnswer.parse(offer);

        assertThat(read.ufrag()).isEqualTo("cli1");
        assertThat(read.setup()).isEqualTo("passive");
        assertThat(read.section("audio").orElseThrow().ssrc()).isEqualTo(0xCAFEL);
        assertThat(read.section("video").orElseThrow().codec().name()).isEqualTo("H264");
        assertThat(read.section("video").orElseThrow().codec().feedback()).containsExactly("nack", "nack pli");
        assertThat(read.section("video").orElseThrow().direction()).isEqualTo("sendonly");
        assertThat(read.section("video").orElseThrow().ssrc()).isEqualTo(0xBEEFL);
    }
}
