package live.cascade.hls;

import live.cascade.hls.media.MediaPacket;
import live.cascade.hls.media.VideoDecoder;
import live.cascade.hls.media.VideoEncoder;
import live.cascade.hls.media.VideoEncoderSettings;
import live.cascade.hls.media.VideoScaler;

import java.lang.management.ManagementFactory;
import java.util.List;

import static org.bytedeco.ffmpeg.global.avcodec.AV_CODEC_ID_H264;
import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_YUV420P;

/** Where a ladder's CPU goes, stage by stage: a main (not a test), run with the module's test classpath. */
public final class StageCpuProbe {
    private StageCpuProbe() {}

    public static void main(String[] args) {
        var mx = ManagementFactory.getThreadMXBean();
        List<SyntheticSource.Coded> video = SyntheticSource.video("libx264", 1280, 720, 30, 30, 5);
        double secs = 5;
        for (String mode : List.of("decode", "decode+scale", "decode+scale+480p", "decode+scale+360p", "decode+scale+both")) {
            try (VideoDecoder d = new VideoDecoder(AV_CODEC_ID_H264, 1);
                 VideoScaler s480 = new VideoScaler(854, 480, AV_PIX_FMT_YUV420P);
                 VideoScaler s360 = new VideoScaler(640, 360, AV_PIX_FMT_YUV420P);
                 VideoEncoder e480 = new VideoEncoder(new VideoEncoderSettings("libx264", 854, 480, 1_400_000, 30, 300, 1, "veryfast"));
                 VideoEncoder e360 = new VideoEncoder(new VideoEncoderSettings("libx264", 640, 360, 800_000, 30, 300, 1, "veryfast"))) {
                long cpu = mx.getCurrentThreadCpuTime();
                for (SyntheticSource.Coded c : video) {
                    d.decode(c.data(), c.ticks() * 1000 / 90, (f, pts) -> {
                        if (mode.equals("decode")) return;
                        var a = s480.scale(f);
                        var b = s360.scale(f);
                        long t = MediaPacket.ticks(pts, 90_000);
                        if (mode.endsWith("480p") || mode.endsWith("both")) e480.encode(a, t, 3000, false, p -> {});
                        if (mode.endsWith("360p") || mode.endsWith("both")) e360.encode(b, t, 3000, false, p -> {});
                    });
                }
                System.out.printf("MEASURE stage %s: %.3f cores%n", mode, (mx.getCurrentThreadCpuTime() - cpu) / 1e9 / secs);
            }
        }
    }
}
