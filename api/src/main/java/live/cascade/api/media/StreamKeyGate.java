package live.cascade.api.media;

import live.cascade.ingest.IngestGate;
import live.cascade.whipwhep.ChannelDirectory;
import live.cascade.whipwhep.PublishQuota;
import live.cascade.whipwhep.PublishTarget;

/**
 * RTMP's stream-key check, by WHIP's rules and with WHIP's words: the key must name a channel, the channel and its
 * owner must not be suspended, and the owner's broadcast quota must allow one more. The node's publisher share is
 * checked after it, when the publish attaches (as for WHIP).
 */
final class StreamKeyGate implements IngestGate {
    private final ChannelDirectory directory;
    private final PublishQuota quota;

    StreamKeyGate(ChannelDirectory directory, PublishQuota quota) {
        this.directory = directory;
        this.quota = quota;
    }

    @Override
    public Admission admit(String streamKey) {
        if (streamKey == null || streamKey.isBlank()) {
            return new Refused(Reason.UNKNOWN_KEY, "No stream key: in OBS, paste the channel's stream key into 'Stream Key'.");
        }
        PublishTarget target = directory.byStreamKey(streamKey).orElse(null);
        if (target == null) {
            return new Refused(Reason.UNKNOWN_KEY, "This stream key belongs to no channel; copy it again from your channel settings (it changes when rotated).");
        }
        if (target.suspended()) {
            return new Refused(Reason.SUSPENDED, "Channel '" + target.channel().slug() + "' is suspended and cannot go live.");
        }
        if (target.publishRefusal().isPresent()) {
            // The same rule and words as WHIP's 403 (e.g. an account whose e-mail address is not verified yet).
            return new Refused(Reason.NOT_ALLOWED, target.publishRefusal().get());
        }
        return quota.refusal(target.channel())
                .<Admission>map(detail -> new Refused(Reason.QUOTA, detail))
                .orElseGet(() -> new Admitted(target.channel()));
    }
}
