package live.cascade.api.qoe;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * One checked beacon: what a player saw since its previous beacon (watch time, rebuffers, frames, layer switches,
 * errors are deltas, so sums over beacons are sums over playback), plus its startup time once per playback, the
 * protocol and, for WebRTC, the path its selected candidate pair took.
 *
 * @param relay for a relayed WebRTC session: the relayed transport address the browser's TURN allocation got (its
 *              local relay candidate) and the transport it reaches the relay by; the node matches the address against
 *              the remote address of its own relayed sessions
 */
record QoeReport(long channelId, String channel, Protocol protocol, Optional<Path> path, OptionalLong startupMs,
                 long watchMs, int rebuffers, long rebufferMs, long framesDecoded, long framesDropped, int bitrateKbps,
                 int layerSwitches, List<QoeError> errors, Optional<Relay> relay) {

    enum Protocol {
        WEBRTC, HLS;

        String label() { return name().toLowerCase(Locale.ROOT); }
    }

    /** The path of a WebRTC session's selected candidate pair, as the web app names it. */
    enum Path {
        UDP("udp"), TCP("tcp"), TURN_UDP("turn-udp"), TURN_TCP("turn-tcp"), TURN_TLS("turn-tls");

        final String label;

        Path(String label) { this.label = label; }

        static Optional<Path> of(String label) {
            for (Path p : values()) if (p.label.equals(label)) return Optional.of(p);
            return Optional.empty();
        }
    }

    /** What went wrong for a player, a closed set so the metric's labels stay bounded. */
    enum QoeError {
        NO_PATH("no-path"),                    // WebRTC found no working path (UDP, TCP, relay): fell back to HLS
        WHEP_REFUSED("whep-refused"),          // the node refused the WHEP offer (full, unsupported codec, ...)
        CONNECTION_FAILED("connection-failed"), // an established WebRTC connection failed
        STALLED("stalled"),                    // no frames for so long that the player reconnected
        HLS_FAILED("hls-failed"),              // hls.js gave up (fatal network or media error)
        HLS_UNAVAILABLE("hls-unavailable"),    // the node serves no HLS for the channel
        MEDIA_ERROR("media-error"),            // the decoder failed (recovered or not)
        UNSUPPORTED("unsupported");            // the browser plays neither WebRTC nor HLS

        final String label;

        QoeError(String label) { this.label = label; }

        static Optional<QoeError> of(String label) {
            for (QoeError e : values()) if (e.label.equals(label)) return Optional.of(e);
            return Optional.empty();
        }
    }

    /**
     * A relay candidate's transport address, the transport (udp, tcp, tls) the browser reaches the relay by, and the
     * WHEP resource id of the session it is for (older players leave it out; their report is then not believed).
     */
    record Relay(InetSocketAddress address, String protocol, Optional<String> session) {
    }
}
