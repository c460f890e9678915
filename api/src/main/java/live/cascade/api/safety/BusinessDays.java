package live.cascade.api.safety;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;

/**
 * The DMCA's restore window: a counter-noticed work goes back up "not less than 10, nor more than 14, business days"
 * after the counter-notice (17 U.S.C. 512(g)(2)(C)). Counted in UTC, Monday to Friday; public holidays are not known
 * here, which only makes the window end earlier on a holiday week, so an operator restores on day 10 to 14 by hand.
 */
final class BusinessDays {
    static final int DMCA_RESTORE_DAYS = 10;

    private BusinessDays() {
    }

    /** The instant {@code days} business days after {@code from}, at the same time of day. */
    static Instant after(Instant from, int days) {
        ZonedDateTime t = from.atZone(ZoneOffset.UTC);
        int left = days;
        while (left > 0) {
            t = t.plusDays(1);
            if (t.getDayOfWeek() != DayOfWeek.SATURDAY && t.getDayOfWeek() != DayOfWeek.SUNDAY) left--;
        }
        return t.toInstant();
    }
}
