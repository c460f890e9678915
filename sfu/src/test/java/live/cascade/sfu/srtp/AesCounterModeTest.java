package live.cascade.sfu.srtp;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.Random;
import javax.crypto.Cipher;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

class AesCounterModeTest {
    @Test
    void thisJdkMovesToANewCounterWithoutAReInit() {
        // The node's JDK must take the cheap path (issue 19's profile: the re-init was 3 % of a worker); a JDK where
        // the check fails still encrypts correctly, re-initialising per packet, and this test says so.
        assertThat(AesCounterMode.LIVE_COUNTER).as("SunJCE's AES/CTR follows the spec's counter array on its reset").isTrue();
    }

    @Test
    void everyPacketGetsTheKeystreamOfACipherFreshlyInitialisedOnItsCounter() throws Exception {
        Random random = new Random(19);
        byte[] key = new byte[16];
        random.nextBytes(key);
        AesCounterMode mode = new AesCounterMode(key);
        Cipher reference = Cipher.getInstance("AES/CTR/NoPadding", "SunJCE");
        for (int packet = 0; packet < 500; packet++) {
            byte[] counter = mode.counter();
            random.nextBytes(counter);
            counter[14] = 0;
            counter[15] = 0;
            int len = 1 + random.nextInt(1400);
            byte[] plain = new byte[len + 30];
            random.nextBytes(plain);
            reference.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "AES"), new IvParameterSpec(counter.clone()));
            byte[] expected = reference.doFinal(plain, 7, len);

            byte[] inPlace = plain.clone();
            mode.apply(inPlace, 7, len);

            assertThat(Arrays.copyOfRange(inPlace, 7, 7 + len)).as("packet %d, %d bytes", packet, len).isEqualTo(expected);
            assertThat(Arrays.copyOfRange(inPlace, 0, 7)).isEqualTo(Arrays.copyOfRange(plain, 0, 7));
            assertThat(Arrays.copyOfRange(inPlace, 7 + len, plain.length)).isEqualTo(Arrays.copyOfRange(plain, 7 + len, plain.length));
        }
    }
}
