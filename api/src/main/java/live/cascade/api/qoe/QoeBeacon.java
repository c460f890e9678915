package live.cascade.api.qoe;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import live.cascade.api.http.Cidr;
import live.cascade.api.http.Validator;
import live.cascade.api.ice.RelayClaim;
import live.cascade.api.qoe.QoeReport.Path;
import live.cascade.api.qoe.QoeReport.Protocol;
import live.cascade.api.qoe.QoeReport.QoeError;
import live.cascade.api.qoe.QoeReport.Relay;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.stream.Collectors;

/**
 * A beacon as the player sends it. Unknown fields are ignored (a newer player talking to an older node still counts);
 * every known field is checked against what one player can see in one beacon interval, so a forged beacon moves the
 * aggregates at most as far as a real one could.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
record QoeBeacon(String channel, String protocol, String path, Long startupMs, Long watchMs, Integer rebuffers,
                 Long rebufferMs, Long framesDecoded, Long framesDropped, Integer bitrateKbps, Integer layerSwitches,
                 List<String> errors, RelayJson relay) {
    /** Longest a player waits for a first frame before it gives up on a path and says so. */
    static final long MAX_STARTUP_MS = 120_000;
    /** One beacon covers at most an hour (a tab in the background sends late, never more often). */
    static final long MAX_WATCH_MS = 3_600_000;
    /** 120 frames a second for an hour. */
    static final long MAX_FRAMES = 120L * 3600;
    static final int MAX_REBUFFERS = 3600;
    static final int MAX_BITRATE_KBPS = 200_000;
    static final int MAX_ERRORS = 8;

    @JsonIgnoreProperties(ignoreUnknown = true)
    record RelayJson(String address, Integer port, String protocol, String session) {
    }

    /** The checked report (channel id still 0: the resource resolves it), or the field errors in {@code v}. */
    Optional<QoeReport> check(Validator v) {
        v.check(channel != null && !channel.isBlank() && channel.length() <= 64, "channel", "is required: the slug of the channel played");
        Optional<Protocol> proto = Arrays.stream(Protocol.values()).filter(p -> p.label().equals(protocol)).findFirst();
        v.check(proto.isPresent(), "protocol", "must be webrtc or hls");
        Optional<Path> p = Optional.empty();
        if (path != null) {
            p = Path.of(path);
            v.check(p.isPresent(), "path", "must be one of " + Arrays.stream(Path.values()).map(x -> x.label).collect(Collectors.joining(", ")) + ", or absent");
            v.check(p.isEmpty() || proto.orElse(null) == Protocol.WEBRTC, "path", "is a WebRTC path; leave it out for hls");
        }
        if (startupMs != null) v.check(startupMs >= 0 && startupMs <= MAX_STARTUP_MS, "startupMs", "must be 0-" + MAX_STARTUP_MS + " (milliseconds to the first frame)");
        long watch = orZero(watchMs);
        v.check(watch >= 0 && watch <= MAX_WATCH_MS, "watchMs", "must be 0-" + MAX_WATCH_MS + " (milliseconds played since the last beacon)");
        long rebufferTime = orZero(rebufferMs);
        v.check(rebufferTime >= 0 && rebufferTime <= Math.max(watch, 0), "rebufferMs", "must be 0 up to watchMs (time stalled is part of the time played)");
        int stalls = rebuffers == null ? 0 : rebuffers;
        v.check(stalls >= 0 && stalls <= MAX_REBUFFERS, "rebuffers", "must be 0-" + MAX_REBUFFERS);
        long decoded = orZero(framesDecoded);
        long dropped = orZero(framesDropped);
        v.check(decoded >= 0 && decoded <= MAX_FRAMES, "framesDecoded", "must be 0-" + MAX_FRAMES + " (frames since the last beacon)");
        v.check(dropped >= 0 && dropped <= MAX_FRAMES, "framesDropped", "must be 0-" + MAX_FRAMES + " (frames since the last beacon)");
        int bitrate = bitrateKbps == null ? 0 : bitrateKbps;
        v.check(bitrate >= 0 && bitrate <= MAX_BITRATE_KBPS, "bitrateKbps", "must be 0-" + MAX_BITRATE_KBPS);
        int switches = layerSwitches == null ? 0 : layerSwitches;
        v.check(switches >= 0 && switches <= MAX_REBUFFERS, "layerSwitches", "must be 0-" + MAX_REBUFFERS);
        List<QoeError> errs = new ArrayList<>();
        if (errors != null) {
            if (v.check(errors.size() <= MAX_ERRORS, "errors", "may list at most " + MAX_ERRORS + " errors")) {
                for (String e : errors) {
                    Optional<QoeError> known = QoeError.of(e);
                    if (v.check(known.isPresent(), "errors", "'" + e + "' is not an error code: use "
                            + Arrays.stream(QoeError.values()).map(x -> x.label).collect(Collectors.joining(", ")))) errs.add(known.get());
                }
            }
        }
        Optional<Relay> r = relay == null ? Optional.empty() : relay(v, p);
        if (v.hasErrors()) return Optional.empty();
        return Optional.of(new QoeReport(0, channel, proto.orElseThrow(), p,
                startupMs == null ? OptionalLong.empty() : OptionalLong.of(startupMs), watch, stalls, rebufferTime,
                decoded, dropped, bitrate, switches, List.copyOf(errs), r));
    }

    private Optional<Relay> relay(Validator v, Optional<Path> p) {
        boolean relayed = p.isPresent() && p.get().label.startsWith("turn-");
        if (!v.check(relayed, "relay", "is only for a relayed path (turn-udp, turn-tcp, turn-tls)")) return Optional.empty();
        String expected = p.get().label.substring("turn-".length());
        v.check(expected.equals(relay.protocol()), "relay.protocol", "must match the path (" + expected + ")");
        Optional<InetAddress> address = literal(relay.address());
        v.check(address.isPresent(), "relay.address", "must be the relay candidate's IP address (a literal, not a name)");
        v.check(relay.port() != null && relay.port() > 0 && relay.port() <= 65535, "relay.port", "must be the relay candidate's port 1-65535");
        boolean session = relay.session() == null || RelayClaim.SESSION_ID.matcher(relay.session()).matches();
        v.check(session, "relay.session", "must be the WHEP session's id (the last segment of its Location), or absent");
        if (address.isEmpty() || relay.port() == null || relay.port() <= 0 || relay.port() > 65535 || !session) return Optional.empty();
        return Optional.of(new Relay(new InetSocketAddress(address.get(), relay.port()), expected, Optional.ofNullable(relay.session())));
    }

    /** An IP literal, never a name lookup (a beacon must not make the node resolve names). */
    static Optional<InetAddress> literal(String s) {
        return Cidr.literal(s);
    }

    private static long orZero(Long x) {
        return x == null ? 0 : x;
    }
}
