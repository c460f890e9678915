package live.cascade.api.media;

import java.util.Optional;
import live.cascade.ingest.IngestGate;
import live.cascade.whipwhep.ChannelDirectory;
import live.cascade.whipwhep.PublishAdmission;
import live.cascade.whipwhep.PublishQuota;
import live.cascade.whipwhep.PublishTarget;

/**
 * RTMP's stream-key check, by WHIP's rules and with WHIP's words: the key must name a channel, the channel and its
 * owner must not be suspended, the owner's broadcast quota must allow one more, and the operator's admission hook
 * (if any) must admit it. The node's publisher share is
 * checked after it, when the publish attaches (as for WHIP).
 */
final class StreamKeyGate implements IngestGate {
    private final ChannelDirectory directory;
    private final PublishQuota quota;
    private final PublishAdmission admission;

    StreamKeyGate(ChannelDirectory directory, PublishQuota quota, PublishAdmission admission) {
        this.directory = directory;
        this.quota = quota;
        this.admission = admission;
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
        Optional<String> overQuota = quota.refusal(target.channel());
        if (overQuota.isPresent()) return new Refused(Reason.QUOTA, overQuota.get());
        // The operator's admission hook last, as for WHIP; RTMP hands on no client address.
        return admission.check(target.channel(), null, "rtmp")
                .<Admission>map(r -> new Refused(r.status() == 503 ? Reason.NODE_FULL : r.status() == 429 ? Reason.QUOTA : Reason.NOT_ALLOWED, r.detail()))
                .orElseGet(() -> new Admitted(target.channel()));
    }
}
