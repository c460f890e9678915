package live.cascade.api;

import io.javalin.Javalin;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import live.cascade.api.access.ViewerAccess;
import live.cascade.api.acme.AcmeModule;
import live.cascade.api.access.ViewerTokenResource;
import live.cascade.api.analytics.AnalyticsResource;
import live.cascade.api.auth.ApiTokens;
import live.cascade.api.webhooks.WebhookDispatcher;
import live.cascade.api.webhooks.WebhookEvents;
import live.cascade.api.webhooks.WebhookRecordingEvents;
import live.cascade.api.webhooks.WebhookResource;
import live.cascade.api.restream.RestreamResource;
import live.cascade.api.auth.AuthResource;
import live.cascade.api.auth.Authenticator;
import live.cascade.api.auth.CredentialLimits;
import live.cascade.api.auth.LoginThrottle;
import live.cascade.api.auth.SignupThrottle;
import live.cascade.api.auth.PasswordHasher;
import live.cascade.api.auth.PasswordHashing;
import live.cascade.api.auth.PasswordPolicy;
import live.cascade.api.auth.StreamKeyVault;
import live.cascade.api.channels.ChannelResource;
import live.cascade.api.chat.ChatModule;
import live.cascade.api.chat.ChatSocketLimit;
import live.cascade.api.config.CascadeConfig;
import live.cascade.api.durability.DatabaseOutage;
import live.cascade.api.durability.DatabaseWriteQueue;
import live.cascade.api.health.ChannelEgressMetrics;
import live.cascade.api.health.IngestMetrics;
import live.cascade.api.health.StreamHealthResource;
import live.cascade.api.http.ClientAddress;
import live.cascade.api.http.TlsFiles;
import live.cascade.api.http.MetricsGuard;
import live.cascade.api.http.ConnectionsPerAddress;
import live.cascade.api.fleet.FleetResource;
import live.cascade.api.fleet.OriginForwarding;
import live.cascade.api.fleet.OriginRedirects;
import live.cascade.api.hls.HlsModule;
import live.cascade.api.ice.IceServersResource;
import live.cascade.api.ice.RelayReportResource;
import live.cascade.api.mail.MailModule;
import live.cascade.api.datarights.DataRightsModule;
import live.cascade.api.safety.SafetyModule;
import live.cascade.api.media.BroadcastRevocations;
import live.cascade.api.media.MediaPlane;
import live.cascade.api.media.MediaCapacityReadiness;
import live.cascade.api.playback.PlaybackTokens;
import live.cascade.api.playback.TokenRefusals;
import live.cascade.api.ops.DatabaseReadiness;
import live.cascade.api.ops.HealthResource;
import live.cascade.api.ops.ReadinessComponent;
import live.cascade.api.ops.Refusals;
import live.cascade.api.http.HttpObservability;
import live.cascade.api.ops.JulBridge;
import live.cascade.api.ops.NodeMetrics;
import live.cascade.api.profiles.ProfileResource;
import live.cascade.api.qoe.QoeAggregates;
import live.cascade.api.qoe.QoeResource;
import live.cascade.api.ratelimit.LocalRateLimiter;
import live.cascade.api.ratelimit.RateLimiter;
import live.cascade.api.users.AdminBootstrap;
import live.cascade.api.users.UserResource;
import live.cascade.api.web.WebApp;
import live.cascade.db.Database;
import live.cascade.db.DatabaseConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

/**
 * One running node: the composition root that wires configuration, database, security, resources and the HTTP
 * server together, and takes them down again in the right order.
 */
public final class CascadeServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(CascadeServer.class);

    private final CascadeConfig config;
    private final Database database;
    private final MediaPlane media;
    private final Javalin app;
    private final Housekeeping housekeeping;
    private final Cluster cluster;
    private final ChatModule chat;
    private final PasswordHashing hashing;
    private final DatabaseWriteQueue writes;
    private volatile HlsModule hls;
    private volatile MailModule mail;
    private volatile DataRightsModule dataRights;
    private volatile WebhookDispatcher webhooks;
    private volatile FleetWiring fleet;
    private volatile Optional<AcmeModule> acme = Optional.empty();
    private volatile Optional<TlsFiles> tlsFiles = Optional.empty();
    private volatile boolean closed;

    /** Start failed for a reason a person can fix; the message is one line. */
    public static final class StartupException extends RuntimeException {
        public StartupException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    private CascadeServer(CascadeConfig config, Database database, MediaPlane media, Javalin app, Housekeeping housekeeping,
                          Cluster cluster, ChatModule chat, PasswordHashing hashing, DatabaseWriteQueue writes) {
        this.hashing = hashing;
        this.writes = writes;
        this.cluster = cluster;
        this.chat = chat;
        this.config = config;
        this.database = database;
        this.media = media;
        this.app = app;
        this.housekeeping = housekeeping;
    }

    public static String version() {
        String v = CascadeServer.class.getPackage().getImplementationVersion();
        return v == null ? "dev" : v;
    }

    public static CascadeServer start(CascadeConfig config) {
        JulBridge.install(); // before the media engine, whose Jitsi libraries log through java.util.logging
        try {
            Files.createDirectories(config.dataDir());
        } catch (IOException e) {
            throw new StartupException("cannot create the data directory " + config.dataDir() + ": " + e.getMessage(), e);
        }
        Optional<AcmeModule> acme = AcmeModule.of(config, Clock.systemUTC());
        HttpConnector connector = HttpConnector.of(config, acme, Clock.systemUTC());
        PrometheusMeterRegistry metrics = NodeMetrics.create();
        Refusals refusals = new Refusals(metrics);

        Database database;
        try {
            // H2 wants a user name; "sa" is its convention for an embedded database.
            String user = config.dbUser().isEmpty() && config.embeddedDatabase() ? "sa" : config.dbUser();
            database = Database.open(new DatabaseConfig(config.dbUrl(), user, config.dbPassword(), config.dbPoolSize()), metrics);
        } catch (RuntimeException e) {
            throw new StartupException("cannot open the database " + redact(config.dbUrl()) + ": " + rootMessage(e), e);
        }

        try {
            AdminBootstrap.apply(database, config.bootstrapAdmin());
        } catch (RuntimeException e) {
            database.close();
            throw new StartupException("cannot apply --bootstrap-admin: " + rootMessage(e), e);
        }

        Clock clock = Clock.systemUTC();
        // Writes that must survive a database outage (broadcast, viewer and recording records) wait and retry here.
        DatabaseOutage outage = new DatabaseOutage(clock);
        DatabaseWriteQueue writes = new DatabaseWriteQueue(config.dbWriteQueue(), DatabaseWriteQueue.FIRST_BACKOFF,
                config.dbRetryMaxBackoff(), database::ping, outage);
        writes.bindMetrics(metrics);
        // Private channels: WHEP, live HLS and the viewer-token API share one view of who may watch.
        ViewerAccess viewerAccess = new ViewerAccess(database, clock);
        String secret = NodeSecret.resolve(config);
        LocalRateLimiter limiter = new LocalRateLimiter(clock);
        String nodeId = config.cluster().nodeId().orElseGet(() -> Cluster.derivedNodeId(config.httpPort(), config.mediaPort()));
        // In process, or shared through Redis when --redis-url is set (a node starts even while Redis is down).
        Cluster cluster = config.redisUrl().map(url -> Cluster.redis(url, config.redisNamespace(), nodeId, limiter, database, clock))
                .orElseGet(() -> Cluster.local(nodeId, limiter, database, clock));
        // WHEP for a channel whose origin is another node: 307 there (relays plug in through OriginRelays).
        OriginRedirects origins = new OriginRedirects(cluster.placement(), cluster.registry(), cluster.liveness(), nodeId);
        MediaPlane media;
        try {
            media = MediaPlane.start(config, database, writes, clock, refusals, secret, nodeId, (channel, bearer) ->
                    viewerAccess.isPrivate(channel.id()) && !bearer.map(t -> viewerAccess.opens(channel.id(), t)).orElse(false)
                            ? Optional.of(ViewerAccess.privateDetail(channel.slug(), "as Authorization: Bearer <token> on the WHEP offer"))
                            : Optional.empty(), origins, connector.files().map(TlsFiles::tls));
        } catch (RuntimeException e) {
            cluster.close();
            writes.close();
            database.close();
            throw new StartupException("cannot start the media plane on UDP " + config.mediaHost() + ":" + config.mediaPort()
                    + " (is another node using these ports? see --media-port): " + rootMessage(e), e);
        }
        media.bindMetrics(metrics);
        media.events().add(new IngestMetrics(metrics, media.broadcasts()::ingestStats));
        media.events().add(new ChannelEgressMetrics(metrics, media.broadcasts()::routerStats));
        WebhookDispatcher webhooks = new WebhookDispatcher(database, clock);
        media.events().add(new WebhookEvents(webhooks));
        media.recordingEvents().add(new WebhookRecordingEvents(webhooks));
        // This node in the fleet: heartbeat, origin claims, relays, steering, drain.
        FleetWiring fleet = FleetWiring.wire(config, nodeId, secret, clock, cluster, media, origins);
        RateLimiter rateLimiter = cluster.rateLimiter();
        PasswordHashing hashing = new PasswordHashing(new PasswordHasher(), config.passwordHashThreads(), config.passwordHashQueue(), refusals);
        Authenticator authenticator = new Authenticator(database, clock, config.tlsEnabled(), config.sessionTtl());
        LoginThrottle throttle = new LoginThrottle(rateLimiter, config.loginMaxFailuresPerIp(), config.loginMaxFailuresPerAccount(),
                config.loginThrottleWindow(), refusals);
        CredentialLimits credentialLimits = new CredentialLimits(refusals);
        ClientAddress clientAddress = new ClientAddress(config.trustedProxies());
        ConnectionsPerAddress connectionLimit = new ConnectionsPerAddress(config.admission().connectionsPerIp(), config.trustedProxies(), refusals);
        StreamKeyVault vault = new StreamKeyVault(secret);
        media.taps().restreamTargets(RestreamResource.targets(database, vault));
        HttpObservability observability = new HttpObservability(metrics, authenticator::auditName);
        // One key on every node: derived from the node secret, which nodes sharing a database already share.
        PlaybackTokens playbackTokens = PlaybackTokens.fromSecret(secret, clock, config.playback().tokenLifetime());
        HlsModule hls = new HlsModule(config, database, writes, authenticator, media.taps(), media.viewerCounts(), playbackTokens,
                new TokenRefusals(metrics), clock, viewerAccess, media.recordingEvents(),
                slug -> database.channels().findBySlug(slug).flatMap(c -> origins.remoteOrigin(c.id())).map(n -> n.httpUrl()));
        hls.bindMetrics(metrics);
        List<ReadinessComponent> readiness = new ArrayList<>();
        readiness.add(new DatabaseReadiness(database, writes, outage));
        cluster.readiness().ifPresent(readiness::add);
        readiness.addAll(hls.readiness());
        readiness.add(new MediaCapacityReadiness(media.broadcasts(), media.engine().handshakeSlots()::waiting));
        readiness.add(media.rtmp().readiness());
        // Links in mail point at the public URL, or at this node's own address once it listens.
        AtomicReference<String> listeningUrl = new AtomicReference<>("");
        MailModule mail = new MailModule(config.mail(), database, authenticator, hashing, cluster.commands(), rateLimiter, secret,
                () -> config.publicUrl().orElseGet(listeningUrl::get), clock, metrics);
        if (mail.enabled() && config.publicUrl().isEmpty()) {
            LOG.warn("e-mail is on but --public-url is not set: links in mail point at this node's bind address");
        }
        mail.liveNotices().ifPresent(media.events()::add);
        readiness.add(mail.readiness());
        acme.ifPresent(a -> { a.bindMetrics(metrics); readiness.add(a.readiness()); });
        connector.files().ifPresent(f -> { f.bindMetrics(metrics); readiness.add(f.readiness()); });
        HealthResource health = new HealthResource(version(), clock, readiness);
        ChatModule chat = new ChatModule(database, authenticator, cluster.bus(), cluster.presence(), rateLimiter, cluster.commands(),
                config.chatRateLimit(), config.chatRateWindow(),
                config.chatCoalesce(), clock, new ChatSocketLimit(config.admission().chatSocketsPerIp(), refusals),
                report -> webhooks.publish("report.created", report.channelId(), java.util.Map.of("channelId", report.channelId(),
                        "reportId", report.id(), "reason", report.reason())));

        cluster.commands().subscribe(new BroadcastRevocations(media.broadcasts()));
        SignupThrottle signupThrottle = new SignupThrottle(rateLimiter, config.admission().signupsPerIp(), config.admission().signupsTotal(),
                config.admission().signupWindow(), refusals);
        AuthResource auth = new AuthResource(database, authenticator, hashing, new PasswordPolicy(), throttle, signupThrottle,
                credentialLimits, cluster.commands(), mail.signupListener());
        UserResource users = new UserResource(database, authenticator, cluster.commands());
        ChannelResource channels = new ChannelResource(database, authenticator, vault, media.broadcasts(), cluster.commands(),
                config.admission().channelsPerAccount(), refusals, media.rtmp().port(), media.rtmp().srtPort(),
                channelId -> cluster.placement().holder(channelId).map(h -> h.nodeId()).filter(n -> !n.equals(nodeId)));
        FleetResource fleetResource = new FleetResource(database, authenticator, cluster.registry(), cluster.placement(), fleet.node,
                cluster.commands());
        ProfileResource profiles = new ProfileResource(database, authenticator);
        StreamHealthResource streamHealth = new StreamHealthResource(database, authenticator, media.broadcasts(),
                media.taps()::recordingState, clock, media.rtmp()::status, media.taps()::restreamStatus);
        streamHealth.answerFromOrigin(new OriginForwarding(origins::remoteOrigin)::forward);
        QoeAggregates qoe = new QoeAggregates(metrics, clock);
        media.events().add(qoe);
        QoeResource qoeResource = new QoeResource(database, authenticator, rateLimiter, config.operations().qoeBeaconsPerIp(), metrics,
                qoe, media.sessionPaths()::reportRelay);
        AnalyticsResource analytics = new AnalyticsResource(database, authenticator, media.broadcasts(), streamHealth::current,
                id -> qoe.snapshot(id, java.time.Duration.ofMinutes(15)), clock);
        WebApp webApp = new WebApp(authenticator, version())
                .allowFleet(() -> cluster.registry().alive().stream().map(live.cascade.api.cluster.NodeInfo::httpUrl).toList());
        DataRightsModule dataRights = new DataRightsModule(database, authenticator, hashing, cluster.commands(), config.dataDir(),
                config.accountDeletionGrace(), clock, () -> config.publicUrl().orElseGet(listeningUrl::get));
        ViewerTokenResource viewerTokens = new ViewerTokenResource(database, authenticator, clock);
        SafetyModule safety = new SafetyModule(database, authenticator, cluster.commands(), mail.mailer(), playbackTokens, clock);
        auth.requireTerms(safety.signupTerms());
        config.storage().viewerOrigin().ifPresent(webApp::allowMediaFrom);

        MetricsGuard metricsGuard = new MetricsGuard(config.metricsAccess().token(), config.metricsAccess().allow());
        Javalin app = HttpApp.create(config, connector, acme,
                new HttpApp.Filters(connectionLimit, observability, outage, clientAddress, credentialLimits, authenticator),
                List.of(cfg -> health.routes(cfg, metrics, metricsGuard::check),
                        auth::routes, mail::routes, dataRights::routes, safety::routes,
                        new ApiTokens(database, authenticator, clock)::routes,
                        new WebhookResource(database, authenticator)::routes,
                        new RestreamResource(database, authenticator, vault, media.taps())::routes,
                        users::routes, channels::routes, fleetResource::routes, viewerTokens::routes, profiles::routes,
                        media.resource()::routes,
                        new IceServersResource(media.iceServers())::routes,
                        new RelayReportResource(rateLimiter, media.sessionPaths(), metrics)::routes,
                        chat::routes, hls::routes, analytics::routes, qoeResource::routes, streamHealth::routes,
                        webApp::routes));
        try {
            app.start(config.httpHost(), config.httpPort());
        } catch (RuntimeException e) {
            fleet.leave();
            fleet.close();
            hls.close();
            mail.close();
            dataRights.close();
            webhooks.close();
            hashing.close();
            chat.close();
            cluster.close();
            media.close();
            writes.close();
            database.close();
            throw new StartupException("cannot listen on " + config.httpHost() + ":" + config.httpPort() + ": " + rootMessage(e), e);
        }
        Housekeeping housekeeping = Housekeeping.start(limiter, database, clock);
        CascadeServer server = new CascadeServer(config, database, media, app, housekeeping, cluster, chat, hashing, writes);
        server.hls = hls;
        server.mail = mail;
        server.dataRights = dataRights;
        listeningUrl.set(server.baseUrl());
        server.webhooks = webhooks;
        server.fleet = fleet;
        server.acme = acme;
        server.tlsFiles = connector.files();
        acme.ifPresent(a -> a.start(server.port()));
        fleet.node.start(config.publicUrl().orElseGet(server::baseUrl));
        LOG.info("listening on {} (data in {}, database {})", server.baseUrl(), config.dataDir(), redact(config.dbUrl()));
        return server;
    }

    public int port() {
        return app.port();
    }

    /** Where a person opens this node: the configured public URL, else derived from the bind address. */
    public String baseUrl() {
        if (config.publicUrl().isPresent()) return config.publicUrl().get();
        String host = config.httpHost();
        if (host.equals("0.0.0.0") || host.equals("::") || host.equals("[::]")) host = "localhost";
        if (host.contains(":") && !host.startsWith("[")) host = "[" + host + "]";
        return (config.tlsEnabled() ? "https" : "http") + "://" + host + ":" + port();
    }

    /** Automatic HTTPS, when {@code --acme-domain} is set. */
    public Optional<AcmeModule> acme() {
        return acme;
    }

    /**
     * SIGHUP: reads the {@code --tls-cert}/{@code --tls-key} files again ({@link TlsFiles#reload}); with ACME (which
     * renews by itself) or plain HTTP there is nothing to read, and the log says so. Whether a new certificate is served.
     */
    public boolean reloadTls() {
        if (tlsFiles.isPresent()) return tlsFiles.get().reload();
        LOG.info("SIGHUP: no certificate files to reload ({})", acme.isPresent() ? "ACME renews its certificate by itself" : "no --tls-cert");
        return false;
    }

    public Database database() {
        return database;
    }

    public MediaPlane media() {
        return media;
    }

    /** The password-hashing threads and their queue. */
    public PasswordHashing passwordHashing() {
        return hashing;
    }

    /** The queue of writes that survive a database outage. */
    public DatabaseWriteQueue writes() {
        return writes;
    }

    /** Live HLS serving, the recordings API and the retention cleaner. */
    public HlsModule hls() {
        return hls;
    }

    @Override
    public void close() {
        if (closed) return;
        closed = true;
        housekeeping.close();
        acme.ifPresent(AcmeModule::close);
        // Out of the registry first, so no other node sends anyone here while this one stops.
        if (fleet != null) fleet.leave();
        chat.close();
        // Event streams run until their session ends, which media.close() below brings: end them first, or the HTTP
        // server's stop waits them out and fails (a studio's layer-pausing stream kept a test node from stopping).
        media.resource().closeEventStreams();
        app.stop();
        if (mail != null) mail.close();
        if (dataRights != null) dataRights.close();
        hashing.close();
        if (hls != null) hls.close();
        if (webhooks != null) webhooks.close();
        media.close();
        if (fleet != null) fleet.close(); // after the broadcasts' ends released their claims
        writes.close(); // what the broadcasts' ends and recordings queued, before the database closes
        cluster.close();
        database.close();
        LOG.info("stopped");
    }

    static String redact(String jdbcUrl) {
        return jdbcUrl.replaceAll("(?i)(password=)[^&;]*", "$1***");
    }

    private static String rootMessage(Throwable t) {
        Throwable c = t;
        while (c.getCause() != null && c.getCause() != c) c = c.getCause();
        return c.getMessage() == null ? c.toString() : c.getMessage();
    }
}
