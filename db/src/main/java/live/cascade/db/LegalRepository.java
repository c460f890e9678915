package live.cascade.db;

import static live.cascade.db.jooq.Tables.LEGAL_ACCEPTANCES;
import static live.cascade.db.jooq.Tables.LEGAL_DOCUMENTS;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

import live.cascade.db.ModerationLogRepository.Entry;
import org.jooq.DSLContext;
import org.jooq.impl.DSL;

/** The operator's Terms and Privacy texts, every version kept, and which version each account accepted. */
public final class LegalRepository {
    static final java.time.Duration CURRENT_TTL = java.time.Duration.ofSeconds(2);
    private static final int MAX_REMEMBERED = 100_000;

    private final DSLContext dsl;
    private final Clock clock;
    private final java.util.Set<String> acceptedSeen = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private volatile CurrentVersions current;

    LegalRepository(DSLContext dsl, Clock clock) {
        this.dsl = dsl;
        this.clock = clock;
    }

    /**
     * Publishes the next version of {@code kind} and logs it.
     *
     * @throws DuplicateException field "version" if another admin published the same version at the same moment
     */
    public LegalDocument publish(String kind, String body, long adminId) {
        Objects.requireNonNull(body, "body");
        LegalDocument published = SqlErrors.call(() -> dsl.transactionResult(tx -> {
            DSLContext ctx = tx.dsl();
            Instant now = clock.instant();
            Integer max = ctx.select(DSL.max(LEGAL_DOCUMENTS.VERSION)).from(LEGAL_DOCUMENTS)
                    .where(LEGAL_DOCUMENTS.KIND.eq(kind)).fetchOne().value1();
            int version = max == null ? 1 : max + 1;
            ctx.insertInto(LEGAL_DOCUMENTS).set(LEGAL_DOCUMENTS.KIND, kind).set(LEGAL_DOCUMENTS.VERSION, version)
                    .set(LEGAL_DOCUMENTS.BODY, body).set(LEGAL_DOCUMENTS.PUBLISHED_AT, Times.toDb(now))
                    .set(LEGAL_DOCUMENTS.PUBLISHED_BY, adminId).execute();
            ModerationLogRepository.write(ctx, now, new Entry(null, adminId, ModerationActionType.LEGAL_PUBLISHED, null,
                    null, null, kind + " version " + version + " published"));
            return new LegalDocument(kind, version, body, now);
        }));
        current = null; // this node's gate sees the new version at once
        return published;
    }

    /** The current (highest) version of {@code kind}, if the operator published one. */
    public Optional<LegalDocument> current(String kind) {
        return SqlErrors.call(() -> dsl.selectFrom(LEGAL_DOCUMENTS).where(LEGAL_DOCUMENTS.KIND.eq(kind))
                .orderBy(LEGAL_DOCUMENTS.VERSION.desc()).limit(1)
                .fetchOptional(r -> new LegalDocument(r.getKind(), r.getVersion(), r.getBody(), Times.fromDb(r.getPublishedAt()))));
    }

    public void accept(long userId, String kind, int version) {
        SqlErrors.call(() -> dsl.insertInto(LEGAL_ACCEPTANCES).set(LEGAL_ACCEPTANCES.USER_ID, userId)
                .set(LEGAL_ACCEPTANCES.KIND, kind).set(LEGAL_ACCEPTANCES.VERSION, version)
                .set(LEGAL_ACCEPTANCES.ACCEPTED_AT, Times.toDb(clock.instant())).onConflictDoNothing().execute());
    }

    /** What the account accepted: kind, version and when, oldest first. */
    public List<Acceptance> acceptances(long userId) {
        return SqlErrors.call(() -> dsl.selectFrom(LEGAL_ACCEPTANCES).where(LEGAL_ACCEPTANCES.USER_ID.eq(userId))
                .orderBy(LEGAL_ACCEPTANCES.ACCEPTED_AT, LEGAL_ACCEPTANCES.KIND)
                .fetch(r -> new Acceptance(r.getKind(), r.getVersion(), Times.fromDb(r.getAcceptedAt()))));
    }

    public record Acceptance(String kind, int version, Instant acceptedAt) {
    }

    /**
     * The current version of each published kind that the account has not accepted, by kind (empty when it is up to
     * date or nothing is published). Asked on every write and chat message (the terms gate), so it is mostly answered
     * from memory: the current versions are read at most every {@link #CURRENT_TTL} (at once after a publish on this
     * node; other nodes see a new version within the TTL), and an acceptance once seen is remembered, since one is
     * never withdrawn. With nothing published, or everything accepted, it costs no query.
     */
    public java.util.Map<String, Integer> unaccepted(long userId) {
        java.util.Map<String, Integer> out = new java.util.TreeMap<>();
        for (var e : currentVersions().entrySet()) {
            String key = userId + ":" + e.getKey() + ":" + e.getValue();
            if (acceptedSeen.contains(key)) continue;
            boolean accepted = SqlErrors.call(() -> dsl.fetchExists(dsl.selectOne().from(LEGAL_ACCEPTANCES)
                    .where(LEGAL_ACCEPTANCES.USER_ID.eq(userId)).and(LEGAL_ACCEPTANCES.KIND.eq(e.getKey()))
                    .and(LEGAL_ACCEPTANCES.VERSION.eq(e.getValue()))));
            if (accepted) remember(key);
            else out.put(e.getKey(), e.getValue());
        }
        return out;
    }

    private java.util.Map<String, Integer> currentVersions() {
        CurrentVersions c = current;
        if (c != null && System.nanoTime() - c.readAtNanos() < CURRENT_TTL.toNanos()) return c.versions();
        java.util.Map<String, Integer> versions = SqlErrors.call(() -> dsl.select(LEGAL_DOCUMENTS.KIND, DSL.max(LEGAL_DOCUMENTS.VERSION))
                .from(LEGAL_DOCUMENTS).groupBy(LEGAL_DOCUMENTS.KIND).fetchMap(r -> r.value1(), r -> r.value2()));
        current = new CurrentVersions(java.util.Map.copyOf(versions), System.nanoTime());
        return current.versions();
    }

    private void remember(String acceptance) {
        if (acceptedSeen.size() >= MAX_REMEMBERED) acceptedSeen.clear();
        acceptedSeen.add(acceptance);
    }

    private record CurrentVersions(java.util.Map<String, Integer> versions, long readAtNanos) {
    }
}
