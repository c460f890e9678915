package live.cascade.sfu.ice;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.SplittableRandom;
import java.util.zip.CRC32;
import live.cascade.sfu.params.IceParameters;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The controlling side's checks: what an ICE-lite peer (our own responder's checks) accepts, and which answers count. */
class IceChecksTest {
    private final IceParameters edge = new IceParameters("edgeUfrg", "edge-password-0123456789");
    private final IceParameters origin = new IceParameters("orgnUfrg", "origin-password-012345678");
    private final CRC32 crc = new CRC32();
    private final byte[] scratch = new byte[20];

    @Test
    void aRequestCarriesWhatAnIceLitePeerChecksAndItsAnswerIsRecognised() throws Exception {
        IceChecks checks = new IceChecks(edge, origin, new SplittableRandom(1));
        byte[] request = new byte[StunMessages.MAX_REQUEST_LENGTH];
        int n = checks.writeRequest(request, crc);

        assertThat(StunMessages.messageType(request, n)).isEqualTo(StunMessages.BINDING_REQUEST);
        int fp = StunMessages.findAttribute(request, n, StunMessages.ATTR_FINGERPRINT);
        assertThat(StunMessages.fingerprintMatches(request, n, fp, crc)).isTrue();
        IceCredential originOwn = new IceCredential(origin);
        int mi = StunMessages.findAttribute(request, n, StunMessages.ATTR_MESSAGE_INTEGRITY);
        assertThat(StunMessages.integrityMatches(request, n, mi, originOwn, scratch)).as("keyed with the origin's password").isTrue();
        assertThat(StunMessages.findAttribute(request, n, StunMessages.ATTR_USE_CANDIDATE)).isPositive();
        assertThat(StunMessages.findAttribute(request, n, StunMessages.ATTR_ICE_CONTROLLING)).isPositive();
        int user = StunMessages.findAttribute(request, n, StunMessages.ATTR_USERNAME);
        assertThat(new String(request, user + 4, 17, java.nio.charset.StandardCharsets.US_ASCII)).isEqualTo("orgnUfrg:edgeUfrg");
        // ice4j, which the origin's responder decodes with, reads it too.
        assertThat(org.ice4j.message.Message.decode(request, 0, n).getMessageType()).isEqualTo((char) StunMessages.BINDING_REQUEST);

        byte[] response = new byte[StunMessages.MAX_RESPONSE_LENGTH];
        int r = StunMessages.writeBindingSuccess(request, response, new InetSocketAddress(InetAddress.getLoopbackAddress(), 5000),
                originOwn, crc);
        assertThat(checks.isAnswer(response, r, crc, scratch)).as("the origin's answer").isTrue();
    }

    @Test
    void answersToOtherTransactionsOrUnderAnotherPasswordDoNotCount() {
        IceChecks checks = new IceChecks(edge, origin, new SplittableRandom(2));
        byte[] request = new byte[StunMessages.MAX_REQUEST_LENGTH];
        checks.writeRequest(request, crc);
        byte[] response = new byte[StunMessages.MAX_RESPONSE_LENGTH];
        InetSocketAddress mapped = new InetSocketAddress(InetAddress.getLoopbackAddress(), 5000);

        int wrongKey = StunMessages.writeBindingSuccess(request, response, mapped,
                new IceCredential(new IceParameters("orgnUfrg", "not-the-origin-password-x")), crc);
        assertThat(checks.isAnswer(response, wrongKey, crc, scratch)).as("signed with another password").isFalse();

        byte[] foreign = request.clone();
        foreign[10] ^= 1; // another transaction id
        int other = StunMessages.writeBindingSuccess(foreign, response, mapped, new IceCredential(origin), crc);
        assertThat(checks.isAnswer(response, other, crc, scratch)).as("an answer to a request we did not send").isFalse();

        int good = StunMessages.writeBindingSuccess(request, response, mapped, new IceCredential(origin), crc);
        response[good - 1] ^= 1; // FINGERPRINT broken
        assertThat(checks.isAnswer(response, good, crc, scratch)).as("a broken fingerprint").isFalse();
    }
}
