package live.cascade.sfu.dtls;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import live.cascade.sfu.params.SrtpProfile;
import org.junit.jupiter.api.Test;

class DtlsWarmUpTest {
    private static final DtlsCertificate CERT = DtlsCertificate.generate();

    @Test
    void handshakesWithItselfCompleteOnBothEnds() throws Exception {
        DtlsSettings settings = new DtlsSettings(CERT, List.of(SrtpProfile.values()), Duration.ofSeconds(5));
        assertThat(DtlsWarmUp.startInBackground(settings).get(30, TimeUnit.SECONDS)).isEqualTo(DtlsWarmUp.HANDSHAKES);
    }
}
