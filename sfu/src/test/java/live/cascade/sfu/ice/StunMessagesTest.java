package live.cascade.sfu.ice;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Arrays;
import java.util.zip.CRC32;
import live.cascade.sfu.net.StunRequests;
import live.cascade.sfu.params.IceParameters;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class StunMessagesTest {
    private static final IceParameters SERVER = new IceParameters("srvUfrag", "serverPassword0123456789ab");
    private final CRC32 crc = new CRC32();
    private final byte[] scratch = new byte[20];

    @ParameterizedTest
    @ValueSource(strings = {"192.0.2.10", "2001:db8::7"})
    void bindingSuccessDecodesWithIce4jWithMappedAddressIntegrityAndFingerprint(String ip) throws Exception {
        byte[] request = StunRequests.browserCheck(SERVER.ufrag(), SERVER.password(), "cli1", true);
        InetSocketAddress mapped = new InetSocketAddress(InetAddress.getByName(ip), 54321);
        byte[] out = new byte[StunMessages.MAX_RESPONSE_LENGTH];

        int n = StunMessages.writeBindingSuccess(request, out, mapped, new IceCredential(SERVER), crc);

        StunRequests.assertBindingSuccess(Arrays.copyOf(out, n), request, SERVER.password(), mapped);
        assertThat(StunMessages.messageType(out, n)).isEqualTo(StunMessages.BINDING_SUCCESS_RESPONSE);
    }

    @Test
    void integrityOfAnIce4jRequestVerifiesOnlyWithThePassword() {
        byte[] request = StunRequests.browserCheck(SERVER.ufrag(), SERVER.password(), "cli1", true);
        int mi = StunMessages.findAttribute(request, request.length, StunMessages.ATTR_MESSAGE_INTEGRITY);

        assertThat(StunMessages.integrityMatches(request, request.length, mi, new IceCredential(SERVER), scratch))
                .isTrue();
        assertThat(StunMessages.integrityMatches(request, request.length, mi,
                new IceCredential(new IceParameters(SERVER.ufrag(), "anotherPassword0123456789")), scratch)).isFalse();
        byte[] original = request.clone();
        StunMessages.integrityMatches(request, request.length, mi, new IceCredential(SERVER), scratch);
        assertThat(request).as("length field restored").isEqualTo(original);
    }

    @Test
    void ffmpegLayoutRequestIsWellFormedWithValidFingerprintAndIntegrity() {
        byte[] request = StunRequests.ffmpegCheck(SERVER.ufrag(), SERVER.password(), "ffmpg");
        int len = request.length;

        assertThat(StunMessages.messageType(request, len)).isEqualTo(StunMessages.BINDING_REQUEST);
        assertThat(StunMessages.findAttribute(request, len, StunMessages.ATTR_PRIORITY)).isNegative();
        assertThat(StunMessages.findAttribute(request, len, StunMessages.ATTR_USE_CANDIDATE)).isPositive();
        int fp = StunMessages.findAttribute(request, len, StunMessages.ATTR_FINGERPRINT);
        assertThat(StunMessages.fingerprintMatches(request, len, fp, crc)).isTrue();
        int mi = StunMessages.findAttribute(request, len, StunMessages.ATTR_MESSAGE_INTEGRITY);
        assertThat(StunMessages.integrityMatches(request, len, mi, new IceCredential(SERVER), scratch)).isTrue();
    }

    @Test
    void headerValidationRejectsTruncationBadLengthsAndWrongCookie() {
        byte[] request = StunRequests.browserCheck(SERVER.ufrag(), SERVER.password(), "cli1", false);
        int len = request.length;
        assertThat(StunMessages.messageType(request, len)).isEqualTo(StunMessages.BINDING_REQUEST);

        assertThat(StunMessages.messageType(request, len - 4)).as("truncated").isEqualTo(-1);
        assertThat(StunMessages.messageType(request, 19)).as("shorter than a header").isEqualTo(-1);
        byte[] cookie = request.clone();
        cookie[5] ^= 1;
        assertThat(StunMessages.messageType(cookie, len)).as("magic cookie").isEqualTo(-1);
        byte[] attribute = request.clone();
        attribute[22] = 0x7F;
        assertThat(StunMessages.messageType(attribute, len)).as("attribute overruns").isEqualTo(-1);
        byte[] topBits = request.clone();
        topBits[0] = (byte) 0xC0;
        assertThat(StunMessages.messageType(topBits, len)).as("not STUN").isEqualTo(-1);
    }

    @Test
    void fingerprintMustBeLastAndMatch() {
        byte[] request = StunRequests.browserCheck(SERVER.ufrag(), SERVER.password(), "cli1", false);
        int len = request.length;
        int fp = StunMessages.findAttribute(request, len, StunMessages.ATTR_FINGERPRINT);
        assertThat(fp).isEqualTo(len - 8);
        assertThat(StunMessages.fingerprintMatches(request, len, fp, crc)).isTrue();

        request[len - 1] ^= 1;
        assertThat(StunMessages.fingerprintMatches(request, len, fp, crc)).isFalse();
        assertThat(StunMessages.fingerprintMatches(request, len, 20, crc)).as("not last").isFalse();
    }
}
