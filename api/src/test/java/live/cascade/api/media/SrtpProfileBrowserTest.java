package live.cascade.api.media;

import static live.cascade.api.media.Viewer.audioPackets;
import static live.cascade.api.media.Viewer.framesDecoded;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import live.cascade.api.media.MediaNode.Channel;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The SRTP profile is the operator's choice ({@code --srtp-profiles}). Every other browser test runs the default,
 * AES_CM_128_HMAC_SHA1_80 through our own transform (WhipWhepBrowserTest asserts it); this one runs a node that
 * negotiates only AEAD_AES_128_GCM, which goes through Jitsi SRTP, so both profiles are proven against Chromium.
 */
@Timeout(120)
class SrtpProfileBrowserTest {
    /** How Chromium's getStats() names the profiles (RFC 5764 / RFC 7714 names, as BoringSSL spells them). */
    static final String CHROMIUM_NAME_OF_AES_CM = "SRTP_AES128_CM_HMAC_SHA1_80";
    static final String CHROMIUM_NAME_OF_GCM = "SRTP_AEAD_AES_128_GCM";

    static BrowserHarness browser;
    static MediaNode media;

    @BeforeAll
    static void start() {
        MediaBed bed = MediaBed.start("--srtp-profiles", "AEAD_AES_128_GCM");
        browser = bed.browser();
        media = bed.media();
    }

    @AfterAll
    static void stop() {
        if (browser != null) browser.close();
        if (media != null) media.close();
    }

    @Test
    void aNodeLimitedToGcmCarriesAudioAndVideoWithIt() {
        Channel channel = media.createChannel("gcm");
        Publisher publisher = Publisher.open(browser);
        publisher.publish(channel.whipUrl(), channel.streamKey(), Publisher.Source.CAMERA);
        WhipWhepBrowserTest.awaitPublishing(publisher);

        Viewer viewer = Viewer.open(browser);
        viewer.play(channel.whepUrl(), false);
        JsonNode stats = Eventually.await("the viewer has decoded 90 video frames and received audio", viewer::stats,
                s -> framesDecoded(s) >= 90 && audioPackets(s) > 50, () -> viewer.diagnostics() + "\n" + publisher.diagnostics());

        assertThat(stats.at("/pc/srtpCipher").asText()).as("the viewer's SRTP cipher").isEqualTo(CHROMIUM_NAME_OF_GCM);
        assertThat(publisher.stats().at("/pc/srtpCipher").asText()).as("the publisher's SRTP cipher")
                .isEqualTo(CHROMIUM_NAME_OF_GCM);
        assertThat(stats.at("/pc/inbound/video/frameWidth").asInt()).as("decoded width").isPositive();
    }
}
