package live.cascade.api.media;

import live.cascade.api.harness.Chromium;
import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The floor the server path is compared with: two direct.html pages (two browser contexts, two renderer processes,
 * as the WHIP publisher and WHEP viewer pages are), the sender's canvas (clock or noise) going from one
 * RTCPeerConnection straight to the other's {@code <video>}, no server. This class carries the offer and answer.
 */
public final class DirectPeers {
    private final TestPage sender;
    private final TestPage receiver;

    private DirectPeers(TestPage sender, TestPage receiver) {
        this.sender = sender;
        this.receiver = receiver;
    }

    public static DirectPeers open(Chromium browser) {
        return new DirectPeers(browser.openTestPage("direct.html", "direct"), browser.openTestPage("direct.html", "direct"));
    }

    /**
     * Connects the two pages.
     *
     * @param source     {@code clock}, {@code busy_clock} or {@code noise}
     * @param codec      mimeType to prefer (what the server path negotiated, e.g. {@code video/H264}), or null
     * @param maxBitrate the video encoding's cap in bit/s, or 0 for none
     * @param audio      also send the fake microphone in the same stream (the receiver then synchronises the two)
     */
    public void start(String source, String codec, long maxBitrate, boolean audio) {
        Map<String, Object> arg = new HashMap<>();
        arg.put("source", source);
        arg.put("codec", codec);
        arg.put("audio", audio);
        // Playwright passes numbers as int or double, not long.
        if (maxBitrate > 0) arg.put("maxBitrate", (double) maxBitrate);
        String offer = sender.call("a => window.direct.offer(a)", arg).asText();
        String answer = receiver.call("a => window.direct.answer(a)", Map.of("sdp", offer, "readClock", source.endsWith("clock"))).asText();
        sender.call("sdp => window.direct.accept(sdp)", answer);
    }

    /** The sending page's {takenAt, pc: snapshot}. */
    public JsonNode senderStats() {
        return sender.call("() => window.direct.stats()", null);
    }

    /** The receiving page's {takenAt, presentedFrames, clockUnreadable, pc: snapshot}. */
    public JsonNode receiverStats() {
        return receiver.call("() => window.direct.stats()", null);
    }

    /**
     * Each read frame since the last call as [RTP timestamp, receive time in epoch ms, clock age at arrival in ms]
     * (clock-video.js frameLog): with a packet capture, says where a frame's time went between the hops.
     */
    public JsonNode drainFrameLog() {
        return receiver.call("() => window.direct.drainFrameLog()", null);
    }

    /** The clock's ages when each read frame's last packet arrived (see clock-video.js watchClock), then forgets them. */
    public List<Long> drainTransitSamples() {
        List<Long> out = new ArrayList<>();
        receiver.call("() => window.direct.drainTransitSamples()", null).forEach(n -> out.add(n.asLong()));
        return out;
    }

    public List<Long> drainClockSamples() {
        List<Long> out = new ArrayList<>();
        receiver.call("() => window.direct.drainClockSamples()", null).forEach(n -> out.add(n.asLong()));
        return out;
    }

    public void close() {
        for (TestPage p : List.of(sender, receiver)) {
            try {
                p.call("() => window.direct.stop()", null);
            } finally {
                p.close();
            }
        }
    }

    public String diagnostics() {
        return sender.consoleTail() + "\n" + receiver.consoleTail();
    }
}
