package live.cascade.api.webhooks;

import live.cascade.api.recordings.RecordingEvents;
import live.cascade.db.Recording;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code recording.ready} when a broadcast's recording has its row (a draft the owner can play, publish or cut; with
 * object storage the upload follows, the node serves it meanwhile) and {@code clip.ready} when a clip was cut.
 */
public final class WebhookRecordingEvents implements RecordingEvents.Listener {
    private final WebhookDispatcher dispatcher;

    public WebhookRecordingEvents(WebhookDispatcher dispatcher) {
        this.dispatcher = dispatcher;
    }

    @Override
    public void recordingReady(Recording r, String slug) {
        Map<String, Object> data = common(r, slug);
        data.put("recordingId", r.id());
        data.put("status", r.status()); // ready, or partial when the recording stopped early (its error says why)
        if (r.error() != null) data.put("error", r.error());
        data.put("streamSessionId", r.streamSessionId());
        dispatcher.publish("recording.ready", r.channelId(), data);
    }

    @Override
    public void clipReady(Recording clip, String slug) {
        Map<String, Object> data = common(clip, slug);
        data.put("clipId", clip.id());
        data.put("recordingId", clip.parentId());
        data.put("clipStartSeconds", clip.clipStartMillis() == null ? null : clip.clipStartMillis() / 1000.0);
        dispatcher.publish("clip.ready", clip.channelId(), data);
    }

    private static Map<String, Object> common(Recording r, String slug) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("channel", slug);
        data.put("channelId", r.channelId());
        data.put("title", r.title());
        data.put("durationSeconds", r.durationMillis() / 1000.0);
        data.put("url", "/api/recordings/" + r.id());
        return data;
    }
}
