package live.cascade.api.monitoring;

import live.cascade.sfu.testkit.client.OutgoingStream;
import live.cascade.sfu.testkit.client.PacketPublisher;

import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.IntStream;

/**
 * Keeps a packet-level publisher sending about 25 frames a second (a keyframe every 50, an Opus frame with each) on a
 * thread of its own until closed, and loses one packet of every 40th frame so the node has something to NACK.
 */
final class LivePublisher implements AutoCloseable {
    private final PacketPublisher pub;
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final Thread thread;

    LivePublisher(PacketPublisher pub) {
        this.pub = pub;
        this.thread = Thread.ofPlatform().daemon().name("live-publisher").start(this::run);
    }

    private void run() {
        OutgoingStream video = pub.video();
        OutgoingStream audio = pub.audio();
        for (long frame = 0; running.get(); frame++) {
            List<byte[]> packets = video.h264(frame * 3600, frame % 50 == 0);
            if (frame % 40 == 39 && packets.size() > 1) {
                pub.send(packets, IntStream.range(1, packets.size()).toArray());   // the first packet lost
            } else {
                pub.send(packets);
            }
            pub.send(audio.opus(frame * 1920));
            try {
                Thread.sleep(40);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    @Override
    public void close() {
        running.set(false);
        thread.interrupt();
        try {
            thread.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        pub.close();
    }
}
