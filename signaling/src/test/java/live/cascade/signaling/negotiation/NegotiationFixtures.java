package live.cascade.signaling.negotiation;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Random;

import live.cascade.signaling.Fixtures;
import live.cascade.signaling.sdp.SessionDescription;
import live.cascade.sfu.params.Candidate;
import live.cascade.sfu.params.DtlsFingerprint;
import live.cascade.sfu.params.IceParameters;

/** Server-side facts and shortcuts shared by the negotiation tests. */
public final class NegotiationFixtures {
    public static final IceParameters SERVER_ICE = new IceParameters("srvUfrag", "srvPassword0123456789abcd");
    public static final DtlsFingerprint SERVER_FINGERPRINT = new DtlsFingerprint("sha-256",
            "0A:1B:2C:3D:4E:5F:60:71:82:93:A4:B5:C6:D7:E8:F9:0A:1B:2C:3D:4E:5F:60:71:82:93:A4:B5:C6:D7:E8:F9");
    public static final ServerTransport SERVER = new ServerTransport(SERVER_ICE, SERVER_FINGERPRINT,
            List.of(new Candidate("203.0.113.10", 10000, 2130706431L), new Candidate("2001:db8::10", 10001, 2130706175L)));

    private NegotiationFixtures() {}

    public static PublishNegotiation publish(SessionDescription offer) {
        return new PublishNegotiator(CodecPreferences.DEFAULT, new Random(1)).negotiate(offer, SERVER);
    }

    public static PublishAnswer accepted(String fixture) {
        PublishNegotiation n = publish(Fixtures.sdp(fixture));
        assertThat(n).as("negotiation of %s", fixture).isInstanceOf(PublishAnswer.class);
        return (PublishAnswer) n;
    }

    public static NegotiationFailure refused(PublishNegotiation n) {
        assertThat(n).isInstanceOf(NegotiationFailure.class);
        return (NegotiationFailure) n;
    }
}
