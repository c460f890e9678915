package live.cascade.sfu.testkit.client;

import java.time.Duration;

/**
 * How a packet client offers and behaves.
 *
 * @param audio           offer an Opus section
 * @param video           offer an H.264 section
 * @param nodeIsDtlsClient offer {@code a=setup:passive} as FFmpeg does, so the node connects to us; otherwise
 *                        {@code actpass}, as browsers do, and we are the DTLS client
 * @param timeout         how long any one blocking step (HTTP, ICE, DTLS, awaiting packets) may take
 * @param consentInterval how often to send an ICE consent check once connected (RFC 7675 asks for about 5 s)
 * @param reportInterval  how often a viewer sends receiver reports and repeats NACKs for what is still missing
 */
public record ClientOptions(boolean audio, boolean video, boolean nodeIsDtlsClient, Duration timeout,
                            Duration consentInterval, Duration reportInterval) {
    public ClientOptions {
        if (!audio && !video) throw new IllegalArgumentException("offer audio, video or both");
    }

    /** Audio and video, the node as DTLS server, 10 s per step, consent every 2 s, reports every 500 ms. */
    public static ClientOptions defaults() {
        return new ClientOptions(true, true, false, Duration.ofSeconds(10), Duration.ofSeconds(2), Duration.ofMillis(500));
    }

    public ClientOptions withAudio(boolean on) {
        return new ClientOptions(on, video, nodeIsDtlsClient, timeout, consentInterval, reportInterval);
    }

    public ClientOptions withVideo(boolean on) {
        return new ClientOptions(audio, on, nodeIsDtlsClient, timeout, consentInterval, reportInterval);
    }

    public ClientOptions withNodeAsDtlsClient(boolean on) {
        return new ClientOptions(audio, video, on, timeout, consentInterval, reportInterval);
    }

    public ClientOptions withTimeout(Duration d) {
        return new ClientOptions(audio, video, nodeIsDtlsClient, d, consentInterval, reportInterval);
    }

    public ClientOptions withConsentInterval(Duration d) {
        return new ClientOptions(audio, video, nodeIsDtlsClient, timeout, d, reportInterval);
    }

    public ClientOptions withReportInterval(Duration d) {
        return new ClientOptions(audio, video, nodeIsDtlsClient, timeout, consentInterval, d);
    }
}
