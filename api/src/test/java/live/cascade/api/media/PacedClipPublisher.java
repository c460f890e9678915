package live.cascade.api.media;

import live.cascade.sfu.rtp.NtpTime;
import live.cascade.sfu.testkit.client.OutgoingStream;
import live.cascade.sfu.testkit.client.PacketPublisher;

import java.time.Instant;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.locks.LockSupport;

/**
 * Sends an {@link EncodedClip} through a packet-level publisher in real time, as a WebRTC sender does: each video
 * frame at its 1/fps instant and each Opus frame every 20 ms, RTP timestamps from random bases (90 kHz and 48 kHz),
 * and a sender report per track every second tying its RTP clock to the publisher's wall clock. On top, the timestamp
 * faults real publishers make (issue 17): one Opus packet every {@code audioRepeatEveryMillis} carries its
 * predecessor's timestamp (a looping source, packet-loss concealment), and the video clock jumps once by
 * {@code videoJumpTicks} at {@code videoJumpAtMillis} (a clock correction), its sender reports following the new clock
 * from that instant on, the first of them sent just before the first frame on the new clock.
 */
final class PacedClipPublisher {
    private static final long SECOND = 1_000_000_000L;

    record Faults(long audioRepeatEveryMillis, long videoJumpAtMillis, long videoJumpTicks) {
    }

    /** What went out. {@code lateNanos}: how far behind its schedule the most delayed send was (a busy machine). */
    record Sent(int videoFrames, int audioFrames, int audioRepeats, int videoFramesOnNewClock, long durationNanos, long lateNanos) {
    }

    private PacedClipPublisher() {}

    /** Publishes the whole clip, starting at {@code startNanos} ({@link System#nanoTime()}); returns when all is sent. */
    static Sent publish(PacketPublisher pub, EncodedClip clip, Faults faults, long startNanos) {
        OutgoingStream video = pub.video();
        OutgoingStream audio = pub.audio();
        ThreadLocalRandom random = ThreadLocalRandom.current();
        long videoBase = random.nextLong(0, 1L << 32);
        long audioBase = random.nextLong(0, 1L << 32);
        Instant wallStart = Instant.now().plusNanos(startNanos - System.nanoTime());
        long wallStartNanos = wallStart.getEpochSecond() * SECOND + wallStart.getNano();
        long opusNanos = EncodedClip.OPUS_FRAME_MILLIS * 1_000_000L;
        long jumpAt = faults.videoJumpAtMillis() * 1_000_000L;
        long repeatEvery = faults.audioRepeatEveryMillis() * 1_000_000L;

        int v = 0, a = 0, reports = 0, repeats = 0, onNewClock = 0;
        long videoPackets = 0, videoOctets = 0, audioPackets = 0, audioOctets = 0, late = 0;
        long previousAudioTs = -1, nextRepeat = repeatEvery;
        List<byte[]> units = clip.accessUnits();
        List<byte[]> opus = clip.opusFrames();
        while (v < units.size() || a < opus.size()) {
            long videoDue = v < units.size() ? v * SECOND / clip.fps() : Long.MAX_VALUE;
            long audioDue = a < opus.size() ? a * opusNanos : Long.MAX_VALUE;
            long reportDue = reports * SECOND;
            long due = Math.min(reportDue, Math.min(videoDue, audioDue));
            long wait = startNanos + due - System.nanoTime();
            if (wait > 0) LockSupport.parkNanos(wait);
            else late = Math.max(late, -wait);

            // At equal instants reports go first: the report of the jump's instant is on the new clock and reaches
            // the node before the first frame on it, as a publisher that corrects its clock would send it.
            if (due == reportDue) {
                long ntp = NtpTime.fromEpochNanos(wallStartNanos + due);
                long videoTs = videoBase + due * 90_000 / SECOND + (due >= jumpAt ? faults.videoJumpTicks() : 0);
                pub.sendSenderReport(video, ntp, videoTs & 0xFFFF_FFFFL, videoPackets, videoOctets);
                pub.sendSenderReport(audio, ntp, (audioBase + due * 48_000 / SECOND) & 0xFFFF_FFFFL, audioPackets, audioOctets);
                reports++;
            } else if (due == videoDue) {
                long ts = videoBase + due * 90_000 / SECOND;
                if (due >= jumpAt) {
                    ts += faults.videoJumpTicks();
                    onNewClock++;
                }
                for (byte[] p : video.h264AccessUnit(ts & 0xFFFF_FFFFL, units.get(v))) {
                    pub.send(p);
                    videoPackets++;
                    videoOctets += p.length - 12;
                }
                v++;
            } else {
                long ts = audioBase + (long) a * 960;
                if (repeatEvery > 0 && due >= nextRepeat && previousAudioTs >= 0) {
                    ts = previousAudioTs;
                    repeats++;
                    nextRepeat += repeatEvery;
                }
                byte[] p = audio.packet(ts & 0xFFFF_FFFFL, false, opus.get(a));
                pub.send(p);
                audioPackets++;
                audioOctets += opus.get(a).length;
                previousAudioTs = ts;
                a++;
            }
        }
        return new Sent(v, a, repeats, onNewClock, System.nanoTime() - startNanos, late);
    }
}
