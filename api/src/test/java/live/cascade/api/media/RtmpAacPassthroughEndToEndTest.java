package live.cascade.api.media;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import live.cascade.api.harness.NodeWithBrowser;
import live.cascade.api.media.MediaNode.Channel;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * AAC pass-through (issue 23): what an RTMP publisher sends as AAC reaches HLS as it is, not transcoded to Opus for
 * WebRTC and back. FFmpeg publishes a 440 Hz tone encoded by its own AAC encoder (44.1 kHz stereo, deterministic);
 * the same command encodes the same tone once more into {@code framemd5} for the reference. The source rendition's
 * audio must be that AAC: 44.1 kHz (the node's own encoder works at 48 kHz), and frame for frame the same bytes; the
 * recording's too.
 */
@Tag("integration")
@Timeout(180)
class RtmpAacPassthroughEndToEndTest {
    @RegisterExtension
    static final NodeWithBrowser bed = NodeWithBrowser.nodeOnly("--rtmp-port", "0", "--hls-ladder", "source", "--publisher-grace", "1s");

    @TempDir
    Path tmp;

    @Test
    void theHlsAudioOfAnRtmpPublishIsThePublishersAacFrameForFrame() throws Exception {
        MediaNode media = bed.media();
        int port = bed.node().server.media().rtmp().port().orElseThrow();
        Channel ch = media.createChannel("aacpass");
        URI master = URI.create(media.node.url("/hls/" + ch.slug() + "/master.m3u8"));
        Path hls;
        try (FfmpegPublisher ff = FfmpegPublisher.rtmp("rtmp://127.0.0.1:" + port + "/live/" + ch.streamKey(), 0, 60)) {
            String masterBody = HlsHttp.awaitOk(master, Duration.ofSeconds(60), ff::diagnostics);
            HlsHttp.Variant source = HlsHttp.variants(master, masterBody).getFirst();
            assertThat(source.codecs()).endsWith(",mp4a.40.2");
            String playlist = HlsHttp.awaitSegments(source.uri(), 4, Duration.ofSeconds(40), ff::diagnostics);
            List<HlsHttp.Segment> segs = HlsHttp.segments(source.uri(), playlist);
            hls = HlsHttp.download(HlsHttp.map(source.uri(), playlist), segs.subList(segs.size() - 2, segs.size()), tmp.resolve("source.mp4"));
        }
        JsonNode audio = Ffprobe.stream(Ffprobe.probe(hls), "audio");
        assertThat(audio).as("the source rendition has audio").isNotNull();
        assertThat(audio.at("/codec_name").asText()).isEqualTo("aac");
        assertThat(audio.at("/profile").asText()).isEqualTo("LC");
        assertThat(audio.at("/sample_rate").asInt()).as("the publisher's rate, not the node's 48 kHz encoder").isEqualTo(44_100);
        assertThat(audio.at("/channels").asInt()).isEqualTo(2);

        List<String> got = md5s(List.of("-i", hls.toString(), "-map", "0:a", "-c", "copy"));
        assertThat(got).as("AAC frames in 4 s of HLS").hasSizeGreaterThan(100);
        List<String> sent = md5s(List.of("-f", "lavfi", "-i", "sine=frequency=440:sample_rate=44100", "-t", "70",
                "-c:a", "aac", "-b:a", "128k", "-ar", "44100", "-ac", "2"));
        int at = Collections.indexOfSubList(sent, got);
        assertThat(at).as("the HLS audio is a run of the publisher's own AAC frames, byte for byte (first HLS frame %s; "
                + "it occurs in the reference at %s)", got.getFirst(), positions(sent, got.getFirst())).isGreaterThanOrEqualTo(0);

        // The recording (finished once the publisher's grace period ends) carries the same AAC.
        Path recordings = bed.node().dataDir.resolve("recordings").resolve(Long.toString(ch.id()));
        Path recording = null;
        long deadline = System.nanoTime() + 40_000_000_000L;
        while (recording == null && System.nanoTime() < deadline) {
            if (java.nio.file.Files.isDirectory(recordings)) {
                try (var files = java.nio.file.Files.walk(recordings)) {
                    recording = files.filter(f -> f.getFileName().toString().equals("recording.mp4")).findFirst().orElse(null);
                }
            }
            if (recording == null) Thread.sleep(250);
        }
        assertThat(recording).as("a recording under %s", recordings).isNotNull();
        List<String> recorded = md5s(List.of("-i", recording.toString(), "-map", "0:a", "-c", "copy"));
        JsonNode recordedAudio = Ffprobe.stream(Ffprobe.probe(recording), "audio");
        assertThat(recordedAudio.at("/codec_name").asText()).isEqualTo("aac");
        assertThat(recordedAudio.at("/sample_rate").asInt()).isEqualTo(44_100);
        assertThat(recorded).as("recorded AAC frames").hasSizeGreaterThan(100);
        List<String> middle = recorded.subList(recorded.size() / 2, recorded.size() / 2 + 50);
        assertThat(Collections.indexOfSubList(sent, middle)).as("50 recorded frames from the middle are the publisher's, byte for byte")
                .isGreaterThanOrEqualTo(0);
    }

    private static List<Integer> positions(List<String> all, String md5) {
        List<Integer> out = new ArrayList<>();
        for (int i = 0; i < all.size(); i++) if (all.get(i).equals(md5)) out.add(i);
        return out;
    }

    /** The MD5 of each audio packet FFmpeg reads or encodes with {@code args} ({@code -f framemd5}: packets as they are). */
    private static List<String> md5s(List<String> args) {
        List<String> cmd = new ArrayList<>(List.of("-v", "error"));
        cmd.addAll(args);
        cmd.addAll(List.of("-f", "framemd5", "-"));
        String out = new String(FfmpegRun.run(60, cmd.toArray(String[]::new)).ok().stdout(), StandardCharsets.UTF_8);
        // "stream, dts, pts, duration, size, md5" per packet; '#' lines are the header.
        return out.lines().filter(l -> !l.startsWith("#") && !l.isBlank()).map(l -> l.substring(l.lastIndexOf(',') + 1).trim()).toList();
    }
}
