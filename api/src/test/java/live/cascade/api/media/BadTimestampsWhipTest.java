package live.cascade.api.media;

import com.fasterxml.jackson.databind.JsonNode;
import live.cascade.api.TestNode;
import live.cascade.api.harness.NodeWithBrowser;
import live.cascade.sfu.testkit.client.ClientOptions;
import live.cascade.sfu.testkit.client.PacketPublisher;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * Issue 17 end to end over WHIP: a packet-level publisher sends 25 s of real H.264 and Opus in real time, repeating
 * an audio RTP timestamp every 10 s and jumping its video clock once (+5 s at 12 s, its sender reports on the new clock
 * from then on). The recording must last as long as the broadcast, read and decode without an error, and keep
 * changing to the end (a recorder that stopped, or kept "recording" a frozen picture, fails); the live HLS rendition
 * must keep advancing across every timestamp event; the corrections are counted on {@code /metrics}.
 *
 * <p>Integration: it runs FFmpeg processes (to make the media, and to check the recording). About 35 s.
 */
@Tag("integration")
@Timeout(150)
class BadTimestampsWhipTest {
    static final int SECONDS = 25;
    static final int FPS = 30;
    /** The jump stays under 10 s: the node ignores a sender report further than that from the stream's own timestamps. */
    static final PacedClipPublisher.Faults FAULTS = new PacedClipPublisher.Faults(10_000, 12_000, 5L * 90_000);

    @RegisterExtension
    static final NodeWithBrowser bed = NodeWithBrowser.nodeOnly("--hls-ladder", "source", "--hls-source", "copy", "--publisher-grace", "1s");

    @TempDir
    Path dir;

    /** One look at the rendition's live playlist, {@code atNanos} into the broadcast. */
    record PlaylistSample(long atNanos, long lastSegment, boolean discontinuity) {
    }

    @Test
    void aPublisherRepeatingAudioTimestampsAndJumpingItsVideoClockIsRecordedWholeAndLiveHlsKeepsAdvancing() throws Exception {
        long t0 = System.nanoTime();
        EncodedClip clip = EncodedClip.encode(dir, SECONDS, 320, 180, FPS);
        MediaNode.Channel channel = bed.media().createChannel("badts");
        TestNode node = bed.node();
        log(t0, "clip encoded (" + clip.accessUnits().size() + " frames, " + clip.opusFrames().size() + " Opus frames), channel " + channel.slug());

        List<PlaylistSample> samples = new CopyOnWriteArrayList<>();
        List<String> pollFailures = new CopyOnWriteArrayList<>();
        AtomicBoolean polling = new AtomicBoolean(true);
        PacedClipPublisher.Sent sent;
        try (PacketPublisher pub = PacketPublisher.connect(URI.create(channel.whipUrl()), channel.streamKey(),
                ClientOptions.defaults())) {
            long start = System.nanoTime();
            Thread poller = Thread.ofVirtual().name("hls-poller").start(() -> {
                while (polling.get()) {
                    try {
                        PlaylistSample s = sample(node, channel.slug(), start);
                        if (s != null) samples.add(s);
                    } catch (RuntimeException e) {
                        pollFailures.add(e.toString()); // a busy node: reported below, the next look counts
                    }
                    sleep(250);
                }
            });
            try {
                sent = PacedClipPublisher.publish(pub, clip, FAULTS, start);
            } finally {
                polling.set(false);
                poller.join();
            }
            log(t0, "sent: " + sent);
            assertThat(pub.failures()).as("the publisher's transport").isEmpty();
            assertThat(pub.delete()).isEqualTo(200);
        }
        assertThat(sent.audioRepeats()).as("repeats at 10 s and 20 s").isEqualTo(2);
        assertThat(sent.videoFramesOnNewClock()).isEqualTo((SECONDS - 12) * FPS);

        // ---- the live rendition advanced across each timestamp event, without a discontinuity
        log(t0, "playlist samples: " + samples.size() + ", last " + (samples.isEmpty() ? "none" : samples.getLast())
                + "; failed looks: " + pollFailures.size() + (pollFailures.isEmpty() ? "" : ", first " + pollFailures.getFirst()));
        assertThat(samples).as("the source rendition's playlist was served while live").isNotEmpty();
        assertThat(samples).noneMatch(PlaylistSample::discontinuity);
        for (int i = 1; i < samples.size(); i++) {
            assertThat(samples.get(i).lastSegment()).as("segments never go back").isGreaterThanOrEqualTo(samples.get(i - 1).lastSegment());
        }
        for (long event : new long[] {10, 12, 20}) {
            long before = lastSegmentBy(samples, event);
            long after = lastSegmentBy(samples, event + 4);
            assertThat(after).as("newest segment by %d s vs by %d s (the event at %d s)", event + 4, event, event).isGreaterThan(before);
        }
        assertThat(samples.getLast().lastSegment()).as("2 s segments over 25 s").isGreaterThanOrEqualTo(9);

        // ---- every correction counted, by its counter
        assertThat(corrections(node)).as("cascade_media_timestamp_corrections_total")
                .isEqualTo(Map.of("audio/duplicate", 2.0, "video/jump_forward", 1.0));

        // ---- the recording: as long as the broadcast, one part, clean to the end
        JsonNode rec = awaitRecording(node, channel);
        log(t0, "recording: " + rec);
        assertThat(rec.at("/status").asText()).isEqualTo("ready");
        assertThat(rec.at("/parts").asInt(1)).as("no recovery into a new part was needed").isEqualTo(1);
        assertThat(rec.at("/duration").asDouble()).as("duration in the recording's row").isCloseTo(SECONDS, within(1.0));
        Path file = download(node, rec.at("/mediaUrl").asText(), channel.ownerToken(), dir.resolve("recording.mp4"));

        Ffprobe.Report probe = Ffprobe.check(file);
        assertThat(probe.errors()).as("ffprobe's complaints").isEmpty();
        assertThat(probe.json().at("/format/duration").asDouble()).as("file duration").isCloseTo(SECONDS, within(1.0));
        JsonNode v = Ffprobe.stream(probe.json(), "video");
        JsonNode a = Ffprobe.stream(probe.json(), "audio");
        assertThat(v.at("/codec_name").asText()).isEqualTo("h264");
        assertThat(a.at("/codec_name").asText()).isEqualTo("opus");
        assertThat(v.at("/nb_read_frames").asInt()).as("every video packet decodes").isEqualTo(v.at("/nb_read_packets").asInt());
        assertThat(a.at("/nb_read_frames").asInt()).as("every audio packet decodes").isEqualTo(a.at("/nb_read_packets").asInt());
        assertThat(v.at("/nb_read_frames").asInt()).as("video frames").isBetween(SECONDS * FPS - 15, SECONDS * FPS);
        int distinctOpus = sent.audioFrames() - sent.audioRepeats();
        assertThat(a.at("/nb_read_frames").asInt()).as("audio frames: all but the repeats").isBetween(distinctOpus - 15, distinctOpus);
        FfmpegRun decode = FfmpegRun.run(60, "-v", "error", "-i", file.toString(), "-map", "0", "-f", "null", "-").ok();
        assertThat(decode.log()).as("ffmpeg decoding the whole recording").isEmpty();
        // As a player gets it: the VOD playlist (byte ranges of the file), decoded to the end, every frame there.
        // FFmpeg 7.1+ refuses HLS segment URLs without a media extension: the playlist names media.mp4.
        FfmpegRun vod = FfmpegRun.run(60, "-v", "error", "-headers", "Authorization: Bearer " + channel.ownerToken() + "\r\n",
                "-i", node.url(rec.at("/playlistUrl").asText()), "-map", "0", "-f", "framecrc", "-").ok();
        assertThat(vod.log()).as("ffmpeg playing the VOD playlist").isEmpty();
        Map<String, Long> vodFrames = framesPerStream(new String(vod.stdout(), StandardCharsets.UTF_8));
        assertThat(vodFrames.values()).as("frames per stream through the VOD playlist: %s", vodFrames)
                .containsExactlyInAnyOrder(v.at("/nb_read_frames").asLong(), a.at("/nb_read_frames").asLong());

        // ---- its picture keeps changing: start, either side of the jump, middle, the last second
        double[] at = {0.5, 11.5, 12.5, 18.0, 24.5};
        List<byte[]> pictures = new ArrayList<>();
        for (double t : at) pictures.add(picture(file, t));
        for (int i = 0; i < at.length; i++) {
            for (int j = i + 1; j < at.length; j++) {
                assertThat(difference(pictures.get(i), pictures.get(j))).as("picture at %.1f s vs %.1f s", at[i], at[j]).isGreaterThan(5.0);
            }
        }
        // ---- and it is the picture that was sent at that time: the jump was re-anchored where the publisher's clock put it
        for (int i = 0; i < at.length; i++) {
            double same = difference(pictures.get(i), sourcePicture(clip, at[i]));
            double earlier = difference(pictures.get(i), sourcePicture(clip, at[i] - 0.5));
            double later = difference(pictures.get(i), sourcePicture(clip, Math.min(at[i] + 0.5, SECONDS - 0.1)));
            log(t0, String.format(Locale.ROOT, "picture at %.1f s vs the source: %.2f at the same time, %.2f 0.5 s earlier, %.2f later", at[i], same, earlier, later));
            // A frame or two off (a re-anchoring by arrival time) would still pass; half a second off would not.
            assertThat(same).as("picture at %.1f s vs the source's at that time", at[i]).isLessThan(Math.min(earlier, later) / 2);
        }
        log(t0, "done");
    }

    /** The newest segment of the source rendition's playlist, or null while there is none to read. */
    private static PlaylistSample sample(TestNode node, String slug, long start) {
        URI master = URI.create(node.url("/hls/" + slug + "/master.m3u8"));
        HttpResponse<byte[]> m = HlsHttp.get(master);
        if (m.statusCode() != 200) return null;
        List<HlsHttp.Variant> variants = HlsHttp.variants(master, HlsHttp.text(m));
        if (variants.isEmpty()) return null;
        HttpResponse<byte[]> p = HlsHttp.get(variants.getFirst().uri());
        if (p.statusCode() != 200) return null;
        String body = HlsHttp.text(p);
        Matcher seq = Pattern.compile("#EXT-X-MEDIA-SEQUENCE:(\\d+)").matcher(body);
        int listed = HlsHttp.segments(variants.getFirst().uri(), body).size();
        if (!seq.find() || listed == 0) return null;
        return new PlaylistSample(System.nanoTime() - start, Long.parseLong(seq.group(1)) + listed - 1,
                body.contains("#EXT-X-DISCONTINUITY"));
    }

    /** The newest segment any sample taken within {@code seconds} of the start saw (-1: none yet). */
    private static long lastSegmentBy(List<PlaylistSample> samples, long seconds) {
        long last = -1;
        for (PlaylistSample s : samples) if (s.atNanos() <= seconds * 1_000_000_000L) last = Math.max(last, s.lastSegment());
        return last;
    }

    private static final Pattern CORRECTION = Pattern.compile("^cascade_media_timestamp_corrections_total\\{([^}]*)} (\\S+)$", Pattern.MULTILINE);
    private static final Pattern LABEL = Pattern.compile("(\\w+)=\"([^\"]*)\"");

    /** The node's non-zero correction counters as {@code track/reason}. */
    private static Map<String, Double> corrections(TestNode node) {
        Map<String, Double> out = new TreeMap<>();
        Matcher m = CORRECTION.matcher(node.get("/metrics", null).body());
        while (m.find()) {
            Map<String, String> labels = new TreeMap<>();
            Matcher l = LABEL.matcher(m.group(1));
            while (l.find()) labels.put(l.group(1), l.group(2));
            double value = Double.parseDouble(m.group(2));
            if (value != 0) out.put(labels.get("track") + "/" + labels.get("reason"), value);
        }
        return out;
    }

    private static JsonNode awaitRecording(TestNode node, MediaNode.Channel channel) {
        return Eventually.await("the broadcast's recording is listed", Duration.ofSeconds(30),
                () -> node.get("/api/recordings?channel=" + channel.slug(), channel.ownerToken()).json(),
                j -> j.at("/items").size() > 0, () -> "").at("/items/0");
    }

    private static Path download(TestNode node, String path, String token, Path file) throws Exception {
        HttpResponse<byte[]> r = HlsHttp.ok(HlsHttp.get(URI.create(node.url(path)), "Authorization", "Bearer " + token));
        return Files.write(file, r.body());
    }

    static final int PICTURE_W = 80, PICTURE_H = 45;

    /** The decoded picture at {@code seconds}, scaled down, as RGB. */
    private static byte[] picture(Path file, double seconds) {
        FfmpegRun r = FfmpegRun.run(30, "-v", "error", "-ss", String.format(Locale.ROOT, "%.3f", seconds), "-i", file.toString(),
                "-frames:v", "1", "-vf", "scale=" + PICTURE_W + ":" + PICTURE_H, "-pix_fmt", "rgb24", "-f", "rawvideo", "-").ok();
        assertThat(r.stdout()).as("a picture at %.1f s (%s)", seconds, r.log()).hasSize(PICTURE_W * PICTURE_H * 3);
        return r.stdout();
    }

    /** Lines of {@code framecrc} output per stream index: frames decoded. */
    private static Map<String, Long> framesPerStream(String framecrc) {
        Map<String, Long> out = new TreeMap<>();
        for (String line : framecrc.split("\n")) {
            if (line.isBlank() || line.startsWith("#")) continue;
            out.merge(line.substring(0, line.indexOf(',')).trim(), 1L, Long::sum);
        }
        return out;
    }

    /** The source clip's picture at {@code seconds} (its raw H.264 decoded at its frame rate). */
    private static byte[] sourcePicture(EncodedClip clip, double seconds) {
        FfmpegRun r = FfmpegRun.run(30, "-v", "error", "-framerate", Integer.toString(clip.fps()), "-i", clip.h264().toString(),
                "-ss", String.format(Locale.ROOT, "%.3f", seconds), "-frames:v", "1", "-vf", "scale=" + PICTURE_W + ":" + PICTURE_H,
                "-pix_fmt", "rgb24", "-f", "rawvideo", "-").ok();
        assertThat(r.stdout()).as("a source picture at %.1f s (%s)", seconds, r.log()).hasSize(PICTURE_W * PICTURE_H * 3);
        return r.stdout();
    }

    /** Mean absolute difference per colour component, 0–255. */
    private static double difference(byte[] x, byte[] y) {
        long sum = 0;
        for (int i = 0; i < x.length; i++) sum += Math.abs((x[i] & 0xFF) - (y[i] & 0xFF));
        return (double) sum / x.length;
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void log(long t0, String what) {
        System.out.printf(Locale.ROOT, "[media] %6.1f s %s%n", (System.nanoTime() - t0) / 1e9, what);
    }
}
