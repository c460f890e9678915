package live.cascade.hls.restream;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import live.cascade.hls.SyntheticSource;
import live.cascade.hls.media.StreamFormat;
import live.cascade.hls.rtp.H264Depacketizer;
import org.bytedeco.javacpp.Loader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.bytedeco.ffmpeg.global.avcodec.AV_CODEC_ID_H264;

/**
 * A restream of an RTMP/SRT publish carries the publisher's AAC as it was sent: real AAC frames (FFmpeg's encoder,
 * 44.1 kHz stereo) go into a {@link Restreamer} beside real H.264, its FLV (written to a file, FFmpeg's file protocol
 * standing in for RTMP) is read back, and its audio packets are those frames byte for byte, at the publisher's
 * 44.1 kHz (the node's own AAC encoder works at 48 kHz), with no AAC encoder ever opened.
 */
class RestreamOriginalAudioTest {
    @TempDir
    Path tmp;

    @Test
    void theRestreamCopiesThePublishersAacFrameForFrame() throws Exception {
        List<byte[]> aac = adtsToRaw(Files.readAllBytes(encodeAac(tmp.resolve("tone.aac"))));
        List<SyntheticSource.Coded> video = SyntheticSource.video("libx264", 320, 240, 30, 30, 3.0);
        byte[] sets = H264Depacketizer.parameterSets(video.getFirst().data());
        StreamFormat h264 = new StreamFormat(true, AV_CODEC_ID_H264, 320, 240, 0, 0, sets, 90_000, 0, 0, StreamFormat.avcCodecString(sets));
        StreamFormat original = StreamFormat.aac(new byte[] {0x12, 0x10}); // AAC-LC, 44.1 kHz, stereo
        Path out = tmp.resolve("restream.flv");
        Restreamer r = new Restreamer(new RestreamDestination(1, out.toString(), "file"), "c", h264, 2, original, new RestreamCounters());
        assertThat(r.copiesAudio()).isTrue();
        r.start();
        // Interleaved on the timeline as the tap hands them over: a frame of video every 33 ms, AAC every 23.2 ms.
        int a = 0;
        for (SyntheticSource.Coded v : video) {
            long vMicros = v.ticks() * 1_000_000L / 90_000;
            while (a < aac.size() && a * 1024L * 1_000_000L / 44_100 <= vMicros) {
                r.audio(new byte[] {(byte) 0xFC, 1, 2}, a * 1024L * 1_000_000L / 44_100); // the Opus: left out
                r.originalAudio(aac.get(a), a * 1024L * 1_000_000L / 44_100);
                a++;
            }
            r.video(v.data(), vMicros, v.keyframe(), 0);
            Thread.sleep(2); // the restreamer's queue holds 10 s; a little pacing keeps this test about copying
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (r.status().state() != RestreamStatus.State.LIVE && System.nanoTime() < deadline) Thread.sleep(20);
        assertThat(r.status().state()).isEqualTo(RestreamStatus.State.LIVE);
        assertThat(r.encodesAudio()).as("no AAC encoder opened").isFalse();
        Thread.sleep(500); // close() drops what is still queued: let the restreamer write it first
        r.close();

        List<String> sent = new ArrayList<>();
        MessageDigest md5 = MessageDigest.getInstance("MD5");
        for (int i = 0; i < a; i++) sent.add(HexFormat.of().formatHex(md5.digest(aac.get(i))));
        List<String> got = packetMd5s(out);
        assertThat(got).as("AAC frames restreamed").hasSizeGreaterThan(80);
        assertThat(Collections.indexOfSubList(sent, got)).as("the restream's audio is a run of the publisher's frames, byte for byte")
                .isGreaterThanOrEqualTo(0);
        String probe = run(List.of(ffprobe().toString(), "-v", "error", "-select_streams", "a", "-show_entries",
                "stream=codec_name,sample_rate,channels", "-of", "csv=p=0", out.toString()));
        assertThat(probe.trim()).isEqualTo("aac,44100,2");
    }

    /** 5 s of a 440 Hz tone through FFmpeg's AAC encoder, as ADTS. */
    private static Path encodeAac(Path file) throws Exception {
        run(List.of(ffmpeg().toString(), "-hide_banner", "-nostdin", "-v", "error", "-f", "lavfi", "-i",
                "sine=frequency=440:sample_rate=44100", "-t", "5", "-ac", "2", "-c:a", "aac", "-b:a", "128k", "-f", "adts", file.toString()));
        return file;
    }

    /** Raw AAC frames from ADTS (a 7-byte header without CRC, frame_length in 13 bits). */
    private static List<byte[]> adtsToRaw(byte[] d) {
        List<byte[]> frames = new ArrayList<>();
        int p = 0;
        while (p + 7 <= d.length) {
            int len = ((d[p + 3] & 0x03) << 11) | ((d[p + 4] & 0xFF) << 3) | ((d[p + 5] & 0xE0) >> 5);
            int header = (d[p + 1] & 1) == 1 ? 7 : 9;
            frames.add(java.util.Arrays.copyOfRange(d, p + header, p + len));
            p += len;
        }
        return frames;
    }

    private static List<String> packetMd5s(Path flv) throws Exception {
        String out = run(List.of(ffmpeg().toString(), "-v", "error", "-nostdin", "-i", flv.toString(), "-map", "0:a", "-c", "copy",
                "-f", "framemd5", "-"));
        return out.lines().filter(l -> !l.startsWith("#") && !l.isBlank()).map(l -> l.substring(l.lastIndexOf(',') + 1).trim()).toList();
    }

    private static Path ffmpeg() { return Path.of(Loader.load(org.bytedeco.ffmpeg.ffmpeg.class)); }

    private static Path ffprobe() { return Path.of(Loader.load(org.bytedeco.ffmpeg.ffprobe.class)); }

    private static String run(List<String> cmd) throws IOException, InterruptedException {
        ProcessBuilder b = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD);
        b.environment().put("LD_LIBRARY_PATH", Path.of(cmd.getFirst()).getParent().toString());
        Process p = b.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as("%s", cmd).isZero();
        return out;
    }
}
