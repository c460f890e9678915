package live.cascade.api.safety;

import live.cascade.api.http.ApiException;
import live.cascade.db.Database;

/** A DMCA notice keeps its content down until its own workflow restores it (counter-notice, waiting period). */
public final class DmcaHold {
    private DmcaHold() {
    }

    /** 409 when an open DMCA notice holds the recording, so a plain restore cannot lift it. */
    public static void requireNone(Database db, long recordingId) {
        if (db.safety().dmca().holds(recordingId)) {
            throw new ApiException(409, "Conflict", "Recording " + recordingId + " is held by a DMCA notice; it is restored "
                    + "through the notice (POST /api/admin/dmca/{id}/restore) after a counter-notice's waiting period.");
        }
    }
}
