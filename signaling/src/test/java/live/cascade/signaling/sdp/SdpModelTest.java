package live.cascade.signaling.sdp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;

import org.junit.jupiter.api.Test;

class SdpModelTest {
    @Test
    void refusesValuesThatWouldNotSurviveARoundTrip() {
        assertThatThrownBy(() -> Attribute.of("x", "a\r\nb")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Attribute.of("x", "trailing ")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Attribute.flag("a:b")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new SdpLine('m', "audio 9 RTP/AVP 0")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void refusesSectionsWhoseInterpretedAttributesAreMalformed() {
        assertThatThrownBy(() -> MediaSection.builder("audio", 9, "UDP/TLS/RTP/SAVPF").attribute("rtpmap", "x").build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("a=rtpmap payload type 'x' is not a number");
        assertThatThrownBy(() -> MediaSection.builder("audio", 9, "UDP/TLS/RTP/SAVPF").attribute("mid", "0").attribute("mid", "1").build())
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void writesCrlfAndTheRecommendedEmptySessionName() {
        SessionDescription d = SessionDescription.builder(new Origin("-", "1", "1", "IN", "IP4", "127.0.0.1"), "")
                .line('t', "0 0").flag("ice-lite")
                .media(MediaSection.builder("application", 0, "UDP/DTLS/SCTP").format("webrtc-datachannel").attribute("mid", "2").build())
                .build();
        assertThat(SdpWriter.write(d)).isEqualTo("v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\na=ice-lite\r\n"
                + "m=application 0 UDP/DTLS/SCTP webrtc-datachannel\r\na=mid:2\r\n");
    }

    @Test
    void writesTypedValuesTheWayBrowsersDo() throws Exception {
        assertThat(new RtpMap(111, "opus", 48000, 2).value()).isEqualTo("111 opus/48000/2");
        assertThat(new RtpMap(96, "VP8", 90000, 1).value()).isEqualTo("96 VP8/90000");
        assertThat(new SsrcGroup("FID", List.of(1L, 2L)).value()).isEqualTo("FID 1 2");
        assertThat(RtcpFeedback.parse("*   nack   pli").value()).isEqualTo("* nack pli");
        assertThat(IceCandidate.parse("1 1 UDP 5 h.local 9 typ host").value()).isEqualTo("1 1 UDP 5 h.local 9 typ host");
        assertThat(new Msid("s", "").value()).isEqualTo("s");
        assertThat(Fmtp.parse("101 0-15").parameters()).containsEntry("0-15", "");
    }
}
