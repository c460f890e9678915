package live.cascade.api.media;

import live.cascade.sfu.testkit.client.OutgoingStream;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Real, decodable media for a packet-level publisher to send: a moving test picture (FFmpeg's {@code testsrc2}) whose
 * colours turn once round the hue circle every 30 s, so that no two moments of a clip up to 30 s long look alike
 * (testsrc2 alone repeats its pattern and differs only in small digits), encoded as WebRTC senders do (x264 constrained baseline, zero latency, no B-frames, a
 * keyframe every second with its parameter sets), and a tone with a beep every second as Opus (20 ms frames), both
 * made by the bundled {@code ffmpeg} executable and read back frame by frame.
 *
 * @param h264        the video as encoded (a raw Annex B file)
 * @param accessUnits each video frame as an Annex B byte stream, in order, one every 1/fps s
 * @param opusFrames  each 20 ms Opus packet, in order
 */
public record EncodedClip(Path h264, int width, int height, int fps, List<byte[]> accessUnits, List<byte[]> opusFrames) {
    public static final int OPUS_FRAME_MILLIS = 20;

    /** Encodes {@code seconds} of both into {@code dir}. */
    public static EncodedClip encode(Path dir, int seconds, int width, int height, int fps) throws IOException {
        Path h264 = dir.resolve("clip.h264");
        Path ogg = dir.resolve("clip.opus.ogg");
        String t = Integer.toString(seconds);
        FfmpegRun.run(120, "-v", "error", "-y",
                "-f", "lavfi", "-i", "testsrc2=size=" + width + "x" + height + ":rate=" + fps,
                "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=48000:beep_factor=4",
                "-t", t, "-map", "0:v", "-vf", "hue=H=2*PI*t/30", "-c:v", "libx264", "-preset", "ultrafast", "-tune", "zerolatency",
                "-profile:v", "baseline", "-bf", "0", "-g", Integer.toString(fps), "-threads", "1", "-pix_fmt", "yuv420p",
                // aud=1: a delimiter starts every access unit, so the stream splits into frames without parsing slices.
                "-x264-params", "aud=1:repeat-headers=1:scenecut=0", "-f", "h264", h264.toString(),
                "-t", t, "-map", "1:a", "-c:a", "libopus", "-b:a", "48k", "-ac", "2", "-application", "lowdelay",
                "-frame_duration", Integer.toString(OPUS_FRAME_MILLIS), "-f", "ogg", ogg.toString()).ok();
        List<byte[]> units = accessUnits(Files.readAllBytes(h264));
        List<byte[]> opus = oggPackets(Files.readAllBytes(ogg));
        if (units.size() != seconds * fps) throw new AssertionError("expected " + seconds * fps + " frames, got " + units.size());
        if (Math.abs(opus.size() - seconds * 1000 / OPUS_FRAME_MILLIS) > 2) throw new AssertionError("Opus frames: " + opus.size());
        return new EncodedClip(h264, width, height, fps, units, opus);
    }

    /** The stream cut before each access unit delimiter (NAL type 9), each piece again with start codes. */
    static List<byte[]> accessUnits(byte[] stream) {
        List<byte[]> out = new ArrayList<>();
        ByteArrayOutputStream unit = new ByteArrayOutputStream();
        for (byte[] nal : OutgoingStream.nalUnits(stream)) {
            if ((nal[0] & 0x1F) == 9 && unit.size() > 0) {
                out.add(unit.toByteArray());
                unit.reset();
            }
            unit.writeBytes(new byte[] {0, 0, 0, 1});
            unit.writeBytes(nal);
        }
        if (unit.size() > 0) out.add(unit.toByteArray());
        return out;
    }

    /** The packets of an Ogg stream (RFC 3533: pages of lacing values), without Opus's two header packets. */
    static List<byte[]> oggPackets(byte[] ogg) {
        List<byte[]> out = new ArrayList<>();
        ByteArrayOutputStream packet = new ByteArrayOutputStream();
        int pos = 0;
        while (pos < ogg.length) {
            if (!new String(ogg, pos, 4, StandardCharsets.US_ASCII).equals("OggS")) throw new AssertionError("no Ogg page at " + pos);
            int segments = ogg[pos + 26] & 0xFF;
            int data = pos + 27 + segments;
            for (int i = 0; i < segments; i++) {
                int lacing = ogg[pos + 27 + i] & 0xFF;
                packet.write(ogg, data, lacing);
                data += lacing;
                if (lacing < 255) { // a packet ends with a lacing value under 255
                    out.add(packet.toByteArray());
                    packet.reset();
                }
            }
            pos = data;
        }
        out.removeIf(p -> startsWith(p, "OpusHead") || startsWith(p, "OpusTags"));
        return out;
    }

    private static boolean startsWith(byte[] p, String magic) {
        byte[] m = magic.getBytes(StandardCharsets.US_ASCII);
        return p.length >= m.length && Arrays.equals(p, 0, m.length, m, 0, m.length);
    }
}
