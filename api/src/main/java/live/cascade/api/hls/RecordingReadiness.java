package live.cascade.api.hls;

import live.cascade.api.ops.Readiness;
import live.cascade.api.ops.ReadinessComponent;
import live.cascade.hls.MediaTaps;
import live.cascade.hls.RecordingHealth;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code "recordings"} in {@code /readyz}: down while a live broadcast is not being recorded because its recorder
 * stopped (a full disk), with the error; the free space of the recordings directory either way; and how many
 * recordings had to recover (a refused write: continued in a new part) since the node started, with the latest. Live
 * streaming goes on without recordings, so this never stops the node from taking sessions.
 */
public final class RecordingReadiness implements ReadinessComponent {
    private final MediaTaps taps;
    private final Path root;

    public RecordingReadiness(MediaTaps taps) {
        this.taps = taps;
        this.root = taps.settings().recordingsRoot();
    }

    @Override
    public String name() { return "recordings"; }

    @Override
    public Readiness check() {
        if (!taps.settings().recordingEnabled()) return Readiness.ok("Recording is off on this node (--recordings false).");
        RecordingHealth.Status s = taps.recordingHealth().status();
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("recording", s.recording());
        d.put("failed", s.failed());
        if (s.lastError() != null) {
            d.put("lastError", s.lastError());
            d.put("lastErrorAt", s.lastErrorAt().toString());
            d.put("diskFull", s.diskFull());
        }
        d.put("recovered", s.recovered());
        if (s.lastRecovery() != null) {
            d.put("lastRecovery", s.lastRecovery());
            d.put("lastRecoveryAt", s.lastRecoveryAt().toString());
        }
        try {
            Path p = Files.exists(root) ? root : root.getParent();
            if (p != null && Files.exists(p)) d.put("freeBytes", Files.getFileStore(p).getUsableSpace());
        } catch (IOException e) {
            d.put("freeBytes", null);
        }
        if (s.healthy()) return new Readiness.Ok("Every live broadcast is being recorded.", d);
        return new Readiness.Down(s.failed() + " live broadcast(s) are not being recorded"
                + (s.diskFull() ? " because the disk is full" : "") + "; free space under " + root + " and see lastError.", d);
    }
}
