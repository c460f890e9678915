package live.cascade.db;

import java.util.Arrays;
import java.util.stream.Stream;

/**
 * The databases every repository test runs against. The build runs H2 in the fast lane ({@code mvn test}) and
 * PostgreSQL in the integration lane ({@code mvn verify}), through the {@code cascade.lane} property surefire and
 * failsafe set; a run outside Maven (an IDE) covers both. Classes that use {@link #inThisLane()} carry the tag
 * {@code database}, which both lanes select.
 */
enum Backend {
    H2, POSTGRES;

    /** The lane's backends: {@code -Dcascade.lane=fast} H2, {@code integration} PostgreSQL, anything else both. */
    static Stream<Backend> inThisLane() {
        return switch (System.getProperty("cascade.lane", "")) {
            case "fast" -> Stream.of(H2);
            case "integration" -> Stream.of(POSTGRES);
            default -> Arrays.stream(values());
        };
    }
}
