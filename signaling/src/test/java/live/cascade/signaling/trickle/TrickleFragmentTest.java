package live.cascade.signaling.trickle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import live.cascade.signaling.Fixtures;
import live.cascade.signaling.sdp.IceCandidate;
import live.cascade.signaling.sdp.SdpParseException;
import live.cascade.sfu.params.Candidate;
import live.cascade.sfu.params.IceParameters;

class TrickleFragmentTest {
    private static final IceParameters CURRENT = new IceParameters("sPOD", "VWWLHwp8PfKx5nWopjfqhO++");

    @Test
    void readsCandidatesPerMidWithCredentialsAndEndOfCandidates() throws Exception {
        TrickleFragment f = TrickleFragment.parse(Fixtures.text(Fixtures.TRICKLE));
        assertThat(f.iceUfrag()).contains("sPOD");
        assertThat(f.icePwd()).contains("VWWLHwp8PfKx5nWopjfqhO++");
        assertThat(f.iceOptions()).containsExactly("trickle");
        assertThat(f.iceLite()).isFalse();
        assertThat(f.media()).hasSize(1);
        assertThat(f.media().get(0).mid()).isEqualTo("0");
        assertThat(f.media().get(0).media()).isEqualTo("audio");
        assertThat(f.candidates("0")).hasSize(4);
        assertThat(f.candidates("1")).isEmpty();
        IceCandidate srflx = f.allCandidates().get(3);
        assertThat(srflx.type()).isEqualTo("srflx");
        assertThat(srflx.extension("raddr")).contains("192.0.2.2");
        assertThat(srflx.extension("ufrag")).contains("sPOD");
        assertThat(f.gatheringComplete()).isTrue();
        assertThat(f.iceParameters()).contains(CURRENT);
    }

    @Test
    void readsTheRfc8840ExampleShape() throws Exception {
        TrickleFragment f = TrickleFragment.parse("""
                a=ice-options:trickle ice2
                a=group:BUNDLE 0 1
                m=audio 9 RTP/AVP 0
                a=mid:0
                a=ice-ufrag:EsAw
                a=ice-pwd:P2uYro0UCOQ4zxjKXaWCBui1
                a=candidate:1387637174 1 udp 2122260223 192.0.2.1 61764 typ host generation 0 ufrag EsAw network-id 1
                a=candidate:3471623853 1 udp 2122194687 198.51.100.2 61765 typ host generation 0 ufrag EsAw network-id 2
                a=candidate:473322822 1 tcp 1518280447 192.0.2.1 9 typ host tcptype active generation 0 ufrag EsAw network-id 1
                a=end-of-candidates
                """);
        assertThat(f.iceParameters()).contains(new IceParameters("EsAw", "P2uYro0UCOQ4zxjKXaWCBui1"));
        assertThat(f.iceOptions()).containsExactly("trickle", "ice2");
        assertThat(f.candidates("0")).hasSize(3);
        assertThat(f.media().get(0).endOfCandidates()).isTrue();
    }

    @Test
    void acceptsCandidatesWithoutCredentialsOrSectionsAndEmptyBodies() throws Exception {
        TrickleFragment bare = TrickleFragment.parse("a=candidate:1 1 udp 1 192.0.2.9 5000 typ host\r\na=end-of-candidates\r\n");
        assertThat(bare.iceUfrag()).isEmpty();
        assertThat(bare.media()).singleElement().satisfies(m -> {
            assertThat(m.mid()).isEmpty();
            assertThat(m.candidates()).hasSize(1);
        });
        assertThat(bare.endOfCandidates()).isTrue();
        assertThat(bare.gatheringComplete()).isTrue();

        TrickleFragment onlyEnd = TrickleFragment.parse("m=audio 9 UDP/TLS/RTP/SAVPF 0\na=mid:0\na=end-of-candidates\n");
        assertThat(onlyEnd.allCandidates()).isEmpty();
        assertThat(onlyEnd.gatheringComplete()).isTrue();

        TrickleFragment empty = TrickleFragment.parse("");
        assertThat(empty.media()).isEmpty();
        assertThat(empty.gatheringComplete()).isFalse();
    }

    @Test
    void rejectsMalformedFragmentsWithTheLine() {
        assertThatThrownBy(() -> TrickleFragment.parse("a=ice-ufrag:abc\r\nm=audio 9 UDP/TLS/RTP/SAVPF 0\r\na=candidate:1 1 udp x 1.2.3.4 5 typ host\r\n"))
                .isInstanceOf(SdpParseException.class).hasMessage("line 3: candidate priority 'x' is not a number");
        assertThatThrownBy(() -> TrickleFragment.parse("hello"))
                .isInstanceOf(SdpParseException.class).hasMessage("line 1: expected '<letter>=<value>', got 'hello'");
        assertThatThrownBy(() -> TrickleFragment.parse("v=0\r\no=- 1 1 IN IP4 0.0.0.0\r\n"))
                .isInstanceOf(SdpParseException.class).hasMessage("line 1: v= does not belong in an SDP fragment");
        assertThatThrownBy(() -> TrickleFragment.parse("a=ice-ufrag:one\r\nm=audio 9 UDP/TLS/RTP/SAVPF 0\r\na=ice-ufrag:two\r\n"))
                .isInstanceOf(SdpParseException.class).hasMessage("a=ice-ufrag 'two' in m-section 1 conflicts with 'one' given before it");
    }

    @Test
    void detectsAnIceRestart() throws Exception {
        TrickleFragment restart = TrickleFragment.parse(Fixtures.text(Fixtures.TRICKLE_RESTART));
        TricklePatch p = IceRestartDetector.classify(restart, CURRENT);
        assertThat(p).isEqualTo(new TricklePatch.IceRestart(new IceParameters("Zx9q", "6nA0pQ1wJm3b5XkVt8sLrY2e"), restart));
        assertThat(restart.gatheringComplete()).isFalse();
    }

    @Test
    void treatsCurrentOrMissingCredentialsAsTrickle() throws Exception {
        TrickleFragment same = TrickleFragment.parse(Fixtures.text(Fixtures.TRICKLE));
        assertThat(IceRestartDetector.classify(same, CURRENT)).isEqualTo(new TricklePatch.Candidates(same));
        TrickleFragment none = TrickleFragment.parse("m=audio 9 UDP/TLS/RTP/SAVPF 0\r\na=mid:0\r\na=end-of-candidates\r\n");
        assertThat(IceRestartDetector.classify(none, CURRENT)).isInstanceOf(TricklePatch.Candidates.class);
    }

    @Test
    void refusesHalfARestart() throws Exception {
        TrickleFragment ufragOnly = TrickleFragment.parse("a=ice-ufrag:newU\r\n");
        assertThatThrownBy(() -> IceRestartDetector.classify(ufragOnly, CURRENT)).isInstanceOf(SdpParseException.class)
                .hasMessage("new a=ice-ufrag 'newU' without an a=ice-pwd; an ICE restart needs both");
        TrickleFragment pwdOnly = TrickleFragment.parse("a=ice-ufrag:sPOD\r\na=ice-pwd:somethingElse1234567890\r\n");
        assertThatThrownBy(() -> IceRestartDetector.classify(pwdOnly, CURRENT)).isInstanceOf(SdpParseException.class)
                .hasMessage("a=ice-pwd changed but a=ice-ufrag did not; an ICE restart changes both");
    }

    @Test
    void writesTheRestartResponse() throws Exception {
        TrickleFragment response = TrickleFragment.restartResponse(new IceParameters("newSrv", "newServerPassword0123456"),
                List.of(new Candidate("203.0.113.10", 10000, 2130706431L), new Candidate("2001:db8::10", 10001, 2130706175L)),
                "audio", "0");
        assertThat(response.write()).isEqualTo("""
                a=ice-lite\r
                a=ice-ufrag:newSrv\r
                a=ice-pwd:newServerPassword0123456\r
                m=audio 9 UDP/TLS/RTP/SAVPF 0\r
                a=mid:0\r
                a=candidate:1 1 udp 2130706431 203.0.113.10 10000 typ host\r
                a=candidate:2 1 udp 2130706175 2001:db8::10 10001 typ host\r
                a=end-of-candidates\r
                """);
        assertThat(TrickleFragment.parse(response.write())).isEqualTo(response);
    }

    @Test
    void writesWhatItReads() throws Exception {
        for (String name : Fixtures.ALL_SDPFRAG) {
            TrickleFragment f = TrickleFragment.parse(Fixtures.text(name));
            assertThat(TrickleFragment.parse(f.write())).isEqualTo(f);
        }
        TrickleFragment sessionLevel = new TrickleFragment(Optional.empty(), Optional.empty(), List.of("trickle"), false, true,
                List.of(new TrickleFragment.MediaCandidates("", "", List.of(IceCandidate.parse("1 1 udp 1 192.0.2.9 5000 typ host")), false)));
        assertThat(sessionLevel.write()).isEqualTo(
                "a=ice-options:trickle\r\na=candidate:1 1 udp 1 192.0.2.9 5000 typ host\r\na=end-of-candidates\r\n");
    }
}
