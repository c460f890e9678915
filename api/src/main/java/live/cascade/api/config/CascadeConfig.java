package live.cascade.api.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import live.cascade.sfu.params.SrtpProfile;

/** The one typed configuration of a node: defaults < config file < CASCADE_* environment < flags. */
public record CascadeConfig(
        String httpHost,
        int httpPort,
        Optional<String> publicUrl,
        int mediaPort,
        int mediaWorkers,
        Path dataDir,
        String dbUrl,
        String dbUser,
        String dbPassword,
        int dbPoolSize,
        Optional<String> redisUrl,
        Optional<String> publicIp,
        List<String> iceInterfaces,
        List<SrtpProfile> srtpProfiles,
        Optional<Path> tlsCert,
        Optional<Path> tlsKey,
        HstsPolicy hsts,
        Optional<String> secret,
        Optional<String> bootstrapAdmin,
        Duration sessionTtl,
        long maxBodySize,
        Duration httpIdleTimeout,
        int loginMaxFailuresPerIp,
        int loginMaxFailuresPerAccount,
        Duration loginThrottleWindow,
        Duration shutdownGrace,
        String mediaHost,
        List<String> iceServers,
        Duration publisherGrace,
        int maxSessions,
        int chatRateLimit,
        Duration chatRateWindow,
        Duration chatCoalesce,
        String redisNamespace,
        MediaOutputConfig mediaOutput,
        int passwordHashThreads,
        int passwordHashQueue,
        List<live.cascade.api.http.Cidr> trustedProxies,
        AdmissionConfig admission,
        PlaybackConfig playback,
        int dbWriteQueue,
        Duration dbRetryMaxBackoff,
        IngestConfig ingest,
        ReachConfig reach,
        MailConfig mail,
        Duration accountDeletionGrace,
        MetricsAccess metricsAccess,
        StorageConfig storage,
        OperationsConfig operations,
        ClusterConfig cluster,
        RelayConfig relay,
        boolean viewerBwe,
        AcmeConfig acme,
        boolean spreadViewers) {

    /** Whether the HTTP port speaks HTTPS: with the operator's PEM files, or with the certificate ACME obtains. */
    public boolean tlsEnabled() {
        return tlsCert.isPresent() || acme.enabled();
    }

    public boolean embeddedDatabase() {
        return dbUrl.startsWith("jdbc:h2:");
    }
}
