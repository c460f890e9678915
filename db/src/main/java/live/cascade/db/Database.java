package live.cascade.db;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.pool.HikariPool;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.jooq.DSLContext;
import org.jooq.SQLDialect;
import org.jooq.conf.Settings;
import org.jooq.impl.DSL;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The data layer of one node: a connection pool, the schema migrated to the current version, and the repositories.
 * Thread-safe; open one per process and close it on shutdown.
 */
public final class Database implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Database.class);

    /** How long {@link #ping()}'s {@code SELECT 1} may run once it has a connection. */
    private static final int PING_QUERY_TIMEOUT_SECONDS = 2;

    static {
        // jOOQ prints an ASCII-art banner and "tips" on first use; they are noise in a server log.
        System.setProperty("org.jooq.no-logo", System.getProperty("org.jooq.no-logo", "true"));
        System.setProperty("org.jooq.no-tips", System.getProperty("org.jooq.no-tips", "true"));
    }

    private final HikariDataSource pool;
    private final JdbcUrl url;
    private final UserRepository users;
    private final LoginSessionRepository sessions;
    private final ApiTokenRepository apiTokens;
    private final WebhookRepository webhooks;
    private final RestreamTargetRepository restreamTargets;
    private final ChannelRepository channels;
    private final StreamSessionRepository streamSessions;
    private final ViewerSessionRepository viewerSessions;
    private final FollowRepository follows;
    private final ProfileRepository profiles;
    private final ChatMessageRepository chatMessages;
    private final ChatSettingsRepository chatSettings;
    private final ModeratorRepository moderators;
    private final BanRepository bans;
    private final ReportRepository reports;
    private final ModerationLogRepository moderationLog;
    private final RecordingRepository recordings;
    private final AnalyticsRepository analytics;
    private final AccountTokenRepository accountTokens;
    private final MailOutboxRepository mailOutbox;
    private final ViewerTokenRepository viewerTokens;
    private final DataRightsRepository dataRights;
    private final TrustAndSafety safety;
    private final ChannelEpochRepository channelEpochs;

    private Database(HikariDataSource pool, JdbcUrl url, Clock clock) {
        this.pool = pool;
        this.url = url;
        DSLContext dsl = DSL.using(pool, url.dialect(), new Settings()
                .withRenderSchema(false)
                // A statement stuck this long means something is wrong; fail the request rather than hold it.
                .withQueryTimeout(30));
        ChannelReader channelReader = new ChannelReader();
        this.users = new UserRepository(dsl, clock);
        this.sessions = new LoginSessionRepository(dsl, clock);
        this.apiTokens = new ApiTokenRepository(dsl, clock);
        this.webhooks = new WebhookRepository(dsl, clock);
        this.restreamTargets = new RestreamTargetRepository(dsl, clock);
        this.channels = new ChannelRepository(dsl, clock, channelReader);
        this.streamSessions = new StreamSessionRepository(dsl);
        this.viewerSessions = new ViewerSessionRepository(dsl);
        this.follows = new FollowRepository(dsl, clock, channelReader);
        this.profiles = new ProfileRepository(dsl, clock);
        this.chatMessages = new ChatMessageRepository(dsl, clock);
        this.chatSettings = new ChatSettingsRepository(dsl, clock);
        this.moderators = new ModeratorRepository(dsl, clock);
        this.bans = new BanRepository(dsl, clock);
        this.reports = new ReportRepository(dsl, clock);
        this.moderationLog = new ModerationLogRepository(dsl, clock);
        this.recordings = new RecordingRepository(dsl, clock);
        this.analytics = new AnalyticsRepository(dsl);
        this.accountTokens = new AccountTokenRepository(dsl, clock);
        this.mailOutbox = new MailOutboxRepository(dsl, clock);
        this.viewerTokens = new ViewerTokenRepository(dsl, clock);
        this.dataRights = new DataRightsRepository(dsl, clock);
        this.safety = new TrustAndSafety(new PlatformReportRepository(dsl, clock), new AppealRepository(dsl, clock),
                new DmcaRepository(dsl, clock), new LegalRepository(dsl, clock));
        this.channelEpochs = new ChannelEpochRepository(dsl);
    }

    /** Opens the pool and migrates the schema. Throws {@link DatabaseUnavailableException} if it can't connect. */
    public static Database open(DatabaseConfig config) {
        return open(config, null);
    }

    /**
     * Like {@link #open(DatabaseConfig)}, and publishes pool metrics ({@code hikaricp_connections_*}, pool name
     * {@code cascade-db}) to {@code micrometerRegistry}, an {@code io.micrometer.core.instrument.MeterRegistry}.
     * Typed as Object so this module needs no Micrometer dependency; HikariCP can only take the registry before the
     * pool starts, which is why it is given here and not set later.
     */
    public static Database open(DatabaseConfig config, Object micrometerRegistry) {
        return open(config, micrometerRegistry, Clock.systemUTC());
    }

    static Database open(DatabaseConfig config, Object micrometerRegistry, Clock clock) {
        Objects.requireNonNull(config, "config");
        JdbcUrl url = JdbcUrl.of(config.jdbcUrl());
        HikariDataSource pool = startPool(config, url, micrometerRegistry);
        try {
            migrate(pool);
            log.info("Database ready: {} ({})", url.redacted(), url.dialect());
            return new Database(pool, url, clock);
        } catch (RuntimeException e) {
            closePool(pool, url);
            throw e;
        }
    }

    private static HikariDataSource startPool(DatabaseConfig config, JdbcUrl url, Object micrometerRegistry) {
        HikariConfig hikari = new HikariConfig();
        hikari.setPoolName("cascade-db");
        hikari.setJdbcUrl(url.url());
        hikari.setUsername(config.user());
        hikari.setPassword(config.password());
        hikari.setMaximumPoolSize(config.maxPoolSize());
        hikari.setConnectionTimeout(config.connectionTimeout().toMillis());
        hikari.setValidationTimeout(Math.min(config.connectionTimeout().toMillis(), 2_000));
        if (url.dialect() == SQLDialect.POSTGRES) {
            // Without it a connect attempt to a silent host waits for the driver default (10 s) per try.
            long seconds = Math.max(1, config.connectionTimeout().toSeconds());
            hikari.addDataSourceProperty("connectTimeout", Long.toString(seconds));
            hikari.addDataSourceProperty("tcpKeepAlive", "true");
        }
        if (micrometerRegistry != null) {
            hikari.setMetricRegistry(micrometerRegistry);
        }
        try {
            return new HikariDataSource(hikari);
        } catch (HikariPool.PoolInitializationException e) {
            throw new DatabaseUnavailableException("cannot connect to " + url.redacted() + ": " + rootMessage(e), e);
        }
    }

    private static void migrate(DataSource dataSource) {
        try {
            Flyway.configure()
                    .dataSource(dataSource)
                    .locations("classpath:db/migration")
                    .failOnMissingLocations(true)
                    .load()
                    .migrate();
        } catch (FlywayException e) {
            throw new DatabaseException("schema migration failed: " + e.getMessage(), e);
        }
    }

    public AccountTokenRepository accountTokens() {
        return accountTokens;
    }

    /** The site-wide report queue, enforcement and appeals, the DMCA record and the legal texts. */
    public TrustAndSafety safety() {
        return safety;
    }

    /** Fencing epochs of the cluster's channel placement. */
    public ChannelEpochRepository channelEpochs() {
        return channelEpochs;
    }

    public DataRightsRepository dataRights() {
        return dataRights;
    }

    public ViewerTokenRepository viewerTokens() {
        return viewerTokens;
    }

    public MailOutboxRepository mailOutbox() {
        return mailOutbox;
    }

    public UserRepository users() {
        return users;
    }

    public LoginSessionRepository sessions() {
        return sessions;
    }

    public ApiTokenRepository apiTokens() {
        return apiTokens;
    }

    public WebhookRepository webhooks() {
        return webhooks;
    }

    public RestreamTargetRepository restreamTargets() {
        return restreamTargets;
    }

    public ChannelRepository channels() {
        return channels;
    }

    public StreamSessionRepository streamSessions() {
        return streamSessions;
    }

    public ViewerSessionRepository viewerSessions() {
        return viewerSessions;
    }

    public FollowRepository follows() {
        return follows;
    }

    public ProfileRepository profiles() {
        return profiles;
    }

    public ChatMessageRepository chatMessages() {
        return chatMessages;
    }

    public ChatSettingsRepository chatSettings() {
        return chatSettings;
    }

    public ModeratorRepository moderators() {
        return moderators;
    }

    public BanRepository bans() {
        return bans;
    }

    public ReportRepository reports() {
        return reports;
    }

    public ModerationLogRepository moderationLog() {
        return moderationLog;
    }

    public AnalyticsRepository analytics() {
        return analytics;
    }

    public RecordingRepository recordings() {
        return recordings;
    }

    /** The pool, for anything that needs plain JDBC. Don't close it; close the Database. */
    public DataSource dataSource() {
        return pool;
    }

    /** "H2" or "POSTGRES", for logs and /readyz. */
    public String kind() {
        return url.dialect() == SQLDialect.H2 ? "H2" : "POSTGRES";
    }

    /** Connections of the pool in use, idle, and callers waiting for one; {@code max} is the pool's size. */
    public record PoolState(int active, int idle, int waiting, int max) {
        /** Every connection is in use: a ping that timed out waiting for one says "busy", not "down". */
        public boolean exhausted() {
            return active >= max;
        }
    }

    public PoolState poolState() {
        var bean = pool.getHikariPoolMXBean();
        if (bean == null) return new PoolState(0, 0, 0, pool.getMaximumPoolSize());
        return new PoolState(bean.getActiveConnections(), bean.getIdleConnections(), bean.getThreadsAwaitingConnection(),
                pool.getMaximumPoolSize());
    }

    /**
     * Runs {@code SELECT 1} and returns how long it took. Waits at most the configured connection timeout for a
     * connection plus {@value #PING_QUERY_TIMEOUT_SECONDS} s for the answer.
     *
     * @throws DatabaseUnavailableException with the driver's reason if there is no answer
     */
    public Duration ping() {
        return ping(pool, PING_QUERY_TIMEOUT_SECONDS);
    }

    static Duration ping(DataSource dataSource, int queryTimeoutSeconds) {
        long start = System.nanoTime();
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
            statement.setQueryTimeout(queryTimeoutSeconds);
            try (ResultSet rs = statement.executeQuery("SELECT 1")) {
                if (!rs.next() || rs.getInt(1) != 1) {
                    throw new DatabaseUnavailableException("SELECT 1 returned no 1", null);
                }
            }
        } catch (SQLException e) {
            throw new DatabaseUnavailableException("database did not answer SELECT 1: " + rootMessage(e), e);
        }
        return Duration.ofNanos(System.nanoTime() - start);
    }

    /**
     * Closes the pool. For an embedded H2 database it first runs SHUTDOWN, so the file is flushed and closed now
     * (not by H2's JVM shutdown hook, which we disable with DB_CLOSE_ON_EXIT=FALSE because it can run before us)
     * and an in-memory database is freed. Idempotent.
     */
    @Override
    public void close() {
        closePool(pool, url);
    }

    private static void closePool(HikariDataSource pool, JdbcUrl url) {
        if (pool.isClosed()) {
            return;
        }
        if (url.embeddedH2()) {
            boolean shutDown = false;
            try (Connection connection = pool.getConnection(); Statement statement = connection.createStatement()) {
                statement.execute("SHUTDOWN");
                shutDown = true;
            } catch (SQLException e) {
                // After a successful SHUTDOWN, handing the connection back to the pool fails ("Database is already
                // closed"); that is expected. Anything before it is a real failure to report.
                if (!shutDown) {
                    log.warn("H2 SHUTDOWN failed; the database closes with its last connection instead: {}",
                            e.getMessage());
                }
            }
        }
        pool.close();
    }

    private static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root == e ? String.valueOf(e.getMessage()) : e.getMessage() + " (" + root + ")";
    }
}
