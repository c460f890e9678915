package live.cascade.db;

import java.time.Instant;

/**
 * A DMCA notice against a recording or clip, with the counter-notice and the outcome when they exist.
 *
 * @param state        content_disabled, counter_noticed, restored or kept_down
 * @param restoreAfter when a counter-noticed recording may be restored unless the claimant reported a suit
 */
public record DmcaNotice(long id, long recordingId, Long uploaderId, String claimantName, String claimantEmail,
                         String claimantAddress, String workDescription, String infringingLocation, String signature,
                         String state, Instant receivedAt, Long recordedBy, Instant disabledAt, String counterName,
                         String counterAddress, String counterStatement, String counterSignature,
                         Instant counterReceivedAt, Instant restoreAfter, Instant closedAt, Long closedBy,
                         String closingNote) {
}
