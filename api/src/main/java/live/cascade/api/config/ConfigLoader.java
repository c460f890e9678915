package live.cascade.api.config;

import java.io.IOException;
import java.io.Reader;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import live.cascade.api.http.Cidr;
import live.cascade.sfu.params.SrtpProfile;

/**
 * Builds the {@link CascadeConfig} from defaults, an optional config file, {@code CASCADE_*} environment variables and
 * flags, in rising priority. Every value is checked here so a bad one stops the start with one clear line.
 */
public final class ConfigLoader {
    /**
     * The default session limit per processor: 1.7 ms of node CPU per viewer-second of a 1.65 Mbit/s channel
     * (issue 19's outside harness, 300 viewers on one worker) puts 80 % of a core at about 470 viewers; 450 leaves
     * room for the publishers' receive path and RTCP. docs/performance.md, "Capacity".
     */
    static final int SESSIONS_PER_CORE = 450;

    private final ConfigValues values = new ConfigValues();
    private final FeatureSettings features = new FeatureSettings(values);

    private ConfigLoader() {
    }

    /** Thrown for {@code --help}: the caller prints {@link #usage()} and exits 0. */
    public static final class HelpRequested extends RuntimeException {
        public HelpRequested() {
            super("help requested", null, false, false);
        }
    }

    public static CascadeConfig load(String[] args, Map<String, String> env) {
        ConfigLoader loader = new ConfigLoader();
        Map<Setting, String> flags = parseFlags(args);
        Map<Setting, String> fromEnv = new EnumMap<>(Setting.class);
        for (Setting s : Setting.values()) {
            String v = env.get(s.envName());
            if (v != null) fromEnv.put(s, v);
        }
        String configPath = flags.getOrDefault(Setting.CONFIG, fromEnv.get(Setting.CONFIG));
        if (configPath != null && !configPath.isBlank()) loader.applyFile(Path.of(configPath));
        fromEnv.forEach((s, v) -> loader.put(s, v, s.envName()));
        flags.forEach((s, v) -> loader.put(s, v, s.flag()));
        return loader.build();
    }

    private void put(Setting s, String value, String source) {
        values.put(s, value, source);
    }

    private static Map<Setting, String> parseFlags(String[] args) {
        Map<Setting, String> flags = new EnumMap<>(Setting.class);
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (arg.equals("--help") || arg.equals("-h")) throw new HelpRequested();
            if (!arg.startsWith("--")) {
                throw new ConfigException("unexpected argument '" + arg + "': settings are given as --name value (see --help)");
            }
            String name = arg.substring(2);
            String value;
            int eq = name.indexOf('=');
            if (eq >= 0) {
                value = name.substring(eq + 1);
                name = name.substring(0, eq);
            } else {
                if (i + 1 >= args.length) throw new ConfigException("--" + name + " needs a value (see --help)");
                value = args[++i];
            }
            Setting s = Setting.byKey(name);
            if (s == null) throw new ConfigException(removed(name).orElse("unknown setting --" + name + " (see --help for the list)"));
            flags.put(s, value);
        }
        return flags;
    }

    private void applyFile(Path file) {
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(file)) {
            p.load(r);
        } catch (IOException e) {
            throw new ConfigException("config: cannot read config file " + file + ": " + e.getMessage());
        }
        for (String key : p.stringPropertyNames()) {
            Setting s = Setting.byKey(key);
            if (s == null || s == Setting.CONFIG) {
                throw new ConfigException("config file " + file + ": " + removed(key).orElse("unknown key '" + key + "' (keys are the flag names without --)"));
            }
            put(s, p.getProperty(key), "config file " + file);
        }
    }

    /** What to do instead of a setting that is gone, for the ones a working config may still name. */
    private static Optional<String> removed(String name) {
        if (name.equals("turn-username") || name.equals("turn-credential")) {
            return Optional.of(name + " is gone: a static TURN credential reached every client. Run coturn with use-auth-secret "
                    + "and give the node --turn-secret (coturn's static-auth-secret) and --turn-urls; it mints a credential per "
                    + "client (docs/operations.md, Reach: ICE-TCP and TURN)");
        }
        return Optional.empty();
    }

    private CascadeConfig build() {
        Path dataDir = Path.of(values.text(Setting.DATA_DIR, "a directory path")).toAbsolutePath().normalize();
        String dbUrl = values.get(Setting.DB_URL);
        if (dbUrl.isEmpty()) {
            dbUrl = "jdbc:h2:file:" + dataDir.resolve("cascade");
        } else if (!dbUrl.startsWith("jdbc:h2:") && !dbUrl.startsWith("jdbc:postgresql:")) {
            throw values.invalid(Setting.DB_URL, "a jdbc:postgresql://… or jdbc:h2:… URL");
        }
        Optional<Path> cert = values.optional(Setting.TLS_CERT).map(Path::of);
        Optional<Path> key = values.optional(Setting.TLS_KEY).map(Path::of);
        if (cert.isPresent() != key.isPresent()) {
            Setting missing = cert.isPresent() ? Setting.TLS_KEY : Setting.TLS_CERT;
            throw new ConfigException(missing.flag() + " is required when " + (cert.isPresent() ? "--tls-cert" : "--tls-key")
                    + " is given: HTTPS needs both a PEM certificate and its PEM private key");
        }
        cert.ifPresent(p -> values.readable(Setting.TLS_CERT, p));
        key.ifPresent(p -> values.readable(Setting.TLS_KEY, p));
        Optional<String> secret = values.optional(Setting.SECRET);
        if (secret.isPresent() && secret.get().length() < 32) throw values.invalid(Setting.SECRET, "at least 32 characters");
        Optional<String> redis = values.optional(Setting.REDIS_URL);
        redis.ifPresent(u -> {
            if (!u.startsWith("redis://") && !u.startsWith("rediss://")) throw values.invalid(Setting.REDIS_URL, "a redis://host:port or rediss://host:port URL");
        });
        Optional<String> publicUrl = values.optional(Setting.PUBLIC_URL).map(u -> u.endsWith("/") ? u.substring(0, u.length() - 1) : u);
        publicUrl.ifPresent(u -> {
            try {
                URI uri = URI.create(u);
                if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) || uri.getHost() == null) throw new IllegalArgumentException();
            } catch (IllegalArgumentException e) {
                throw values.invalid(Setting.PUBLIC_URL, "an absolute http:// or https:// URL");
            }
        });
        Optional<String> publicIp = values.optional(Setting.PUBLIC_IP);
        publicIp.ifPresent(ip -> {
            if (!ConfigValues.isIpLiteral(ip)) throw values.invalid(Setting.PUBLIC_IP, "an IPv4 or IPv6 address literal");
        });
        int mediaPort = values.integer(Setting.MEDIA_PORT, 1, 65535, "a UDP port 1-65535");
        int workers = values.integer(Setting.MEDIA_WORKERS, 0, 256, "a worker count 0-256 (0 = one per core)");
        if (workers == 0) workers = Runtime.getRuntime().availableProcessors();
        if (mediaPort + workers - 1 > 65535) throw values.invalid(Setting.MEDIA_PORT, "a port leaving room for " + workers + " workers below 65536");
        List<String> ifaces = Arrays.stream(values.get(Setting.ICE_INTERFACES).split(","))
                .map(String::trim).filter(x -> !x.isEmpty()).toList();
        return new CascadeConfig(
                values.text(Setting.HTTP_HOST, "a host name or address"),
                values.integer(Setting.HTTP_PORT, 0, 65535, "a TCP port 0-65535"),
                publicUrl,
                mediaPort,
                workers,
                dataDir,
                dbUrl,
                values.get(Setting.DB_USER),
                values.get(Setting.DB_PASSWORD),
                values.integer(Setting.DB_POOL_SIZE, 1, 200, "an integer 1-200"),
                redis,
                publicIp,
                ifaces,
                srtpProfiles(),
                cert,
                key,
                hsts(),
                secret,
                bootstrapAdmin(),
                values.duration(Setting.SESSION_TTL, Duration.ofMinutes(5)),
                values.integer(Setting.MAX_BODY_SIZE, 1024, Integer.MAX_VALUE, "a byte count of at least 1024"),
                values.duration(Setting.HTTP_IDLE_TIMEOUT, Duration.ofSeconds(1)),
                values.integer(Setting.LOGIN_MAX_FAILURES_PER_IP, 1, 1_000_000, "an integer of at least 1"),
                values.integer(Setting.LOGIN_MAX_FAILURES_PER_ACCOUNT, 1, 1_000_000, "an integer of at least 1"),
                values.duration(Setting.LOGIN_THROTTLE_WINDOW, Duration.ofSeconds(1)),
                values.duration(Setting.SHUTDOWN_GRACE, Duration.ZERO),
                mediaHost(),
                iceServers(),
                values.duration(Setting.PUBLISHER_GRACE, Duration.ZERO),
                maxSessions(),
                values.integer(Setting.CHAT_RATE_LIMIT, 1, 1_000_000, "an integer 1-1000000"),
                values.duration(Setting.CHAT_RATE_WINDOW, Duration.ofSeconds(1)),
                chatCoalesce(),
                redisNamespace(),
                new MediaOutputSettings(values).mediaOutput(),
                values.integer(Setting.PASSWORD_HASH_THREADS, 0, 256, "a thread count 0-256 (0 = cores - 1)"),
                values.integer(Setting.PASSWORD_HASH_QUEUE, 1, 10_000, "an integer 1-10000"),
                trustedProxies(),
                admission(),
                playback(),
                values.integer(Setting.DB_WRITE_QUEUE, 100, 10_000_000, "an integer 100-10000000"),
                dbRetryMaxBackoff(),
                features.ingest(),
                features.reach(workers),
                features.mail(),
                features.accountDeletionGrace(),
                features.metricsAccess(),
                features.storage(),
                features.operations(),
                features.cluster(),
                new RelayConfig(values.duration(Setting.RELAY_LINGER, Duration.ZERO)),
                features.viewerBwe(),
                new AcmeSettings(values).acme(),
                features.spreadViewers());
    }

    private PlaybackConfig playback() {
        // At least 10 minutes: caches may keep a published recording's VOD playlist (and the token in it) for 5.
        Duration lifetime = values.duration(Setting.PLAYBACK_TOKEN_LIFETIME, Duration.ofMinutes(10));
        if (lifetime.compareTo(Duration.ofDays(7)) > 0) throw values.invalid(Setting.PLAYBACK_TOKEN_LIFETIME, "a duration from 10m to 7d, such as 6h");
        return new PlaybackConfig(lifetime, values.integer(Setting.HLS_VIEWERS_PER_IP, 1, 1_000_000, "an integer 1-1000000"));
    }

    private Duration dbRetryMaxBackoff() {
        Duration d = values.duration(Setting.DB_RETRY_MAX_BACKOFF, Duration.ofMillis(100));
        if (d.compareTo(Duration.ofMinutes(5)) > 0) throw values.invalid(Setting.DB_RETRY_MAX_BACKOFF, "a duration from 100ms to 5m, such as 5s");
        return d;
    }

    /**
     * WHIP plus WHEP sessions: a count, or {@code auto} (the default) for {@link #SESSIONS_PER_CORE} per processor
     * this process may run on (taskset and container limits included).
     */
    private int maxSessions() {
        if (values.get(Setting.MAX_SESSIONS).trim().equalsIgnoreCase("auto")) {
            return SESSIONS_PER_CORE * Runtime.getRuntime().availableProcessors();
        }
        return values.integer(Setting.MAX_SESSIONS, 2, 1_000_000,
                "auto, or an integer of at least 2 (one publisher and one viewer)");
    }

    private AdmissionConfig admission() {
        int max = maxSessions();
        Duration setup = values.duration(Setting.SESSION_SETUP_TIMEOUT, Duration.ofSeconds(1));
        if (setup.compareTo(Duration.ofMinutes(1)) > 0) throw values.invalid(Setting.SESSION_SETUP_TIMEOUT, "a duration from 1s to 60s, such as 7s");
        return new AdmissionConfig(publisherReserve(max),
                values.integer(Setting.WHEP_PENDING_PER_IP, 1, 1_000_000, "an integer of at least 1"),
                values.integer(Setting.WHEP_PENDING_PER_CHANNEL, 1, 1_000_000, "an integer of at least 1"),
                setup,
                values.integer(Setting.SIGNUPS_PER_IP, 1, 1_000_000, "an integer of at least 1"),
                values.integer(Setting.SIGNUPS_TOTAL, 1, 1_000_000, "an integer of at least 1"),
                values.duration(Setting.SIGNUP_WINDOW, Duration.ofSeconds(1)),
                values.integer(Setting.CHAT_SOCKETS_PER_IP, 1, 1_000_000, "an integer of at least 1"),
                values.integer(Setting.CHANNELS_PER_ACCOUNT, 1, 1_000_000, "an integer of at least 1"),
                values.integer(Setting.BROADCASTS_PER_ACCOUNT, 1, 1_000_000, "an integer of at least 1"),
                values.integer(Setting.CONNECTIONS_PER_IP, 1, 1_000_000, "an integer of at least 1"));
    }

    /** A count, or a percentage of {@code maxSessions} rounded down; either way leaving at least one session each. */
    private int publisherReserve(int maxSessions) {
        String v = values.get(Setting.PUBLISHER_RESERVE).strip();
        String accepts = "a session count or a percentage such as 10%, leaving at least 1 of max-sessions (" + maxSessions + ") to each of publishers and viewers";
        int reserve;
        try {
            if (v.endsWith("%")) {
                long percent = Long.parseLong(v.substring(0, v.length() - 1).strip());
                if (percent < 0 || percent > 100) throw values.invalid(Setting.PUBLISHER_RESERVE, accepts);
                reserve = (int) Math.max(1, Math.min(maxSessions - 1, maxSessions * percent / 100));
            } else {
                long n = Long.parseLong(v);
                if (n < 1 || n >= maxSessions) throw values.invalid(Setting.PUBLISHER_RESERVE, accepts);
                reserve = (int) n;
            }
        } catch (NumberFormatException e) {
            throw values.invalid(Setting.PUBLISHER_RESERVE, accepts);
        }
        return reserve;
    }

    private List<Cidr> trustedProxies() {
        List<Cidr> out = new ArrayList<>();
        for (String part : values.get(Setting.TRUSTED_PROXIES).split(",")) {
            if (part.isBlank()) continue;
            try {
                out.add(Cidr.parse(part));
            } catch (IllegalArgumentException e) {
                throw values.invalid(Setting.TRUSTED_PROXIES, "comma-separated IP addresses or CIDR networks such as 10.0.0.0/8 (" + e.getMessage() + ")");
            }
        }
        return List.copyOf(out);
    }

    private Optional<String> bootstrapAdmin() {
        Optional<String> name = values.optional(Setting.BOOTSTRAP_ADMIN);
        if (name.isPresent() && !name.get().matches("[A-Za-z0-9_]{3,25}")) {
            throw values.invalid(Setting.BOOTSTRAP_ADMIN, "a username: 3-25 letters, digits or underscores");
        }
        return name;
    }

    private HstsPolicy hsts() {
        Duration maxAge = values.retention(Setting.HSTS_MAX_AGE);
        String sub = values.get(Setting.HSTS_INCLUDE_SUBDOMAINS).toLowerCase(Locale.ROOT);
        if (!sub.equals("true") && !sub.equals("false")) throw values.invalid(Setting.HSTS_INCLUDE_SUBDOMAINS, "true or false");
        return new HstsPolicy(maxAge, sub.equals("true"));
    }

    private List<SrtpProfile> srtpProfiles() {
        List<SrtpProfile> profiles = new ArrayList<>();
        for (String name : values.get(Setting.SRTP_PROFILES).split(",")) {
            String trimmed = name.trim();
            if (trimmed.isEmpty()) continue;
            SrtpProfile profile;
            try {
                profile = SrtpProfile.valueOf(trimmed.toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw values.invalid(Setting.SRTP_PROFILES, "AEAD_AES_128_GCM and/or AES_CM_128_HMAC_SHA1_80, comma-separated ('"
                        + trimmed + "' is not one of them)");
            }
            if (profiles.contains(profile)) throw values.invalid(Setting.SRTP_PROFILES, "each profile at most once (" + profile + " twice)");
            profiles.add(profile);
        }
        if (profiles.isEmpty()) throw values.invalid(Setting.SRTP_PROFILES, "at least one of AEAD_AES_128_GCM and AES_CM_128_HMAC_SHA1_80");
        return List.copyOf(profiles);
    }

    private String redisNamespace() {
        String ns = values.get(Setting.REDIS_NAMESPACE);
        if (!ns.matches("[A-Za-z0-9_.-]{1,64}")) throw values.invalid(Setting.REDIS_NAMESPACE, "1-64 letters, digits, '.', '-' or '_'");
        return ns;
    }

    private String mediaHost() {
        String host = values.text(Setting.MEDIA_HOST, "an IP address literal");
        if (!ConfigValues.isIpLiteral(host)) throw values.invalid(Setting.MEDIA_HOST, "an IP address literal such as 0.0.0.0 or 192.0.2.10");
        return host;
    }

    private List<String> iceServers() {
        List<String> urls = Arrays.stream(values.get(Setting.ICE_SERVERS).split(",")).map(String::trim).filter(x -> !x.isEmpty()).toList();
        for (String u : urls) {
            if (!u.matches("stuns?:[^\\s,<>\"]+")) throw values.invalid(Setting.ICE_SERVERS, "comma-separated stun: or stuns: URLs (TURN URLs go in turn-urls, with turn-secret: no static TURN credentials reach a client)");
        }
        return urls;
    }

    private Duration chatCoalesce() {
        Duration d = values.duration(Setting.CHAT_COALESCE, Duration.ZERO);
        if (d.compareTo(Duration.ofSeconds(1)) > 0) throw values.invalid(Setting.CHAT_COALESCE, "a duration from 0ms to 1s, such as 25ms");
        return d;
    }

    /** The text of {@code --help}. */
    public static String usage() {
        StringBuilder sb = new StringBuilder();
        sb.append("Cascade Live node\n\nUsage: java -jar cascade-live.jar [--setting value ...]\n\n");
        sb.append("Every setting is also read from the environment (CASCADE_NAME) and from an optional config file (--config);\n");
        sb.append("flags beat the environment, which beats the file, which beats the defaults.\n\n");
        List<String> lines = new ArrayList<>();
        for (Setting s : Setting.values()) {
            String def = s.defaultValue().isEmpty() ? "" : " (default: " + s.defaultValue() + ")";
            lines.add(String.format("  %-34s %s%n  %-34s %s%s%n", s.flag() + " <value>", s.envName(), "", s.description(), def));
        }
        lines.forEach(sb::append);
        return sb.toString();
    }
}
