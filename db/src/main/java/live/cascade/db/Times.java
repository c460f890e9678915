package live.cascade.db;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;

/** Both databases keep microseconds; truncating here means a stored instant reads back equal to what we sent. */
final class Times {
    private Times() {
    }

    static OffsetDateTime toDb(Instant instant) {
        return instant == null ? null : instant.truncatedTo(ChronoUnit.MICROS).atOffset(ZoneOffset.UTC);
    }

    static Instant fromDb(OffsetDateTime time) {
        return time == null ? null : time.toInstant();
    }
}
