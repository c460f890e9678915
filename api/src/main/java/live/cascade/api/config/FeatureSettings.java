package live.cascade.api.config;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import live.cascade.api.http.Cidr;

/**
 * The settings of the node's optional features (RTMP ingest, ICE-TCP and TURN, e-mail, account deletion, access to
 * {@code /metrics}, object storage), each read and checked from the same {@link ConfigValues} as the rest of
 * {@link ConfigLoader}, so a bad value stops the start with one clear line.
 */
final class FeatureSettings {
    private final ConfigValues values;

    FeatureSettings(ConfigValues values) {
        this.values = values;
    }

    IngestConfig ingest() {
        String port = values.get(Setting.RTMP_PORT).trim();
        int rtmp = port.equalsIgnoreCase("off") ? IngestConfig.OFF
                : values.integer(Setting.RTMP_PORT, 0, 65535, "'off' or a TCP port 0-65535 (0 = any free port)");
        String tlsPort = values.get(Setting.RTMPS_PORT).trim();
        int rtmps = tlsPort.equalsIgnoreCase("off") ? IngestConfig.OFF
                : values.integer(Setting.RTMPS_PORT, 0, 65535, "'off' or a TCP port 0-65535 (0 = any free port)");
        if (rtmps != IngestConfig.OFF && values.optional(Setting.TLS_CERT).isEmpty()) {
            throw values.invalid(Setting.RTMPS_PORT, "'off' unless tls-cert and tls-key are set (RTMPS uses the node's certificate)");
        }
        String srtText = values.get(Setting.SRT_PORT).trim();
        int srt = srtText.equalsIgnoreCase("off") ? IngestConfig.OFF
                : values.integer(Setting.SRT_PORT, 0, 65535, "'off' or a UDP port 0-65535 (0 = any free port)");
        Duration latency = values.duration(Setting.SRT_LATENCY, Duration.ofMillis(20));
        if (latency.compareTo(Duration.ofSeconds(10)) > 0) throw values.invalid(Setting.SRT_LATENCY, "a duration from 20ms to 10s, such as 120ms");
        String passphrase = values.optional(Setting.SRT_PASSPHRASE).orElse("");
        if (!passphrase.isEmpty() && (passphrase.length() < 10 || passphrase.length() > 79)) {
            throw values.invalid(Setting.SRT_PASSPHRASE, "empty, or 10 to 79 characters (SRT's limits for an AES passphrase)");
        }
        live.cascade.ingest.BFramePolicy bframes = live.cascade.ingest.BFramePolicy.parse(values.get(Setting.INGEST_BFRAMES));
        if (bframes == null) throw values.invalid(Setting.INGEST_BFRAMES, "warn, reject or reencode");
        return new IngestConfig(rtmp, values.text(Setting.RTMP_HOST, "a host name or address"), rtmps, srt,
                values.text(Setting.SRT_HOST, "a host name or address"), (int) latency.toMillis(), passphrase, bframes);
    }

    /** Per-viewer bandwidth estimation and pacing: on/off (true/false also read). */
    boolean viewerBwe() {
        String v = values.get(Setting.VIEWER_BWE).trim().toLowerCase(Locale.ROOT);
        return switch (v) {
            case "on", "true" -> true;
            case "off", "false" -> false;
            default -> throw values.invalid(Setting.VIEWER_BWE, "on or off");
        };
    }

    /** One channel's viewers spread over every media worker: on/off (true/false also read). */
    boolean spreadViewers() {
        String v = values.get(Setting.SPREAD_VIEWERS).trim().toLowerCase(Locale.ROOT);
        return switch (v) {
            case "on", "true" -> true;
            case "off", "false" -> false;
            default -> throw values.invalid(Setting.SPREAD_VIEWERS, "on or off");
        };
    }

    ReachConfig reach(int workers) {
        String tcp = values.get(Setting.ICE_TCP_PORT).trim();
        int tcpPort = "off".equalsIgnoreCase(tcp) ? ReachConfig.ICE_TCP_OFF
                : values.integer(Setting.ICE_TCP_PORT, 0, 65535, "a TCP port 0-65535 (0 = any free port) or 'off'");
        if (tcpPort > 0 && tcpPort + workers - 1 > 65535) {
            throw values.invalid(Setting.ICE_TCP_PORT, "a port leaving room for " + workers + " workers below 65536, or 'off'");
        }
        List<String> urls = Arrays.stream(values.get(Setting.TURN_URLS).split(",")).map(String::trim).filter(x -> !x.isEmpty()).toList();
        for (String u : urls) {
            if (!u.matches("turns?:[^\\s,<>\"]+")) throw values.invalid(Setting.TURN_URLS, "comma-separated turn: or turns: URLs");
        }
        Optional<String> secret = values.optional(Setting.TURN_SECRET);
        if (secret.isPresent() && secret.get().length() < 16) throw values.invalid(Setting.TURN_SECRET, "a secret of at least 16 characters (coturn's static-auth-secret)");
        if (!urls.isEmpty() && secret.isEmpty()) throw values.invalid(Setting.TURN_SECRET, "the secret shared with coturn (static-auth-secret), needed with turn-urls: TURN credentials are minted, never static");
        Duration ttl = values.duration(Setting.TURN_CREDENTIAL_TTL, Duration.ofMinutes(1));
        if (ttl.compareTo(Duration.ofHours(24)) > 0) throw values.invalid(Setting.TURN_CREDENTIAL_TTL, "a duration from 1m to 24h, such as 5m");
        return new ReachConfig(tcpPort, urls, secret, ttl);
    }

    Duration accountDeletionGrace() {
        Duration d = values.duration(Setting.ACCOUNT_DELETION_GRACE, Duration.ZERO);
        if (d.compareTo(Duration.ofDays(90)) > 0) throw values.invalid(Setting.ACCOUNT_DELETION_GRACE, "a duration from 0s to 90d, such as 7d");
        return d;
    }

    MailConfig mail() {
        Optional<String> host = values.optional(Setting.SMTP_HOST);
        MailConfig.SmtpTls tls = switch (values.get(Setting.SMTP_TLS).strip().toLowerCase(Locale.ROOT)) {
            case "none" -> MailConfig.SmtpTls.NONE;
            case "starttls" -> MailConfig.SmtpTls.STARTTLS;
            case "tls" -> MailConfig.SmtpTls.TLS;
            default -> throw values.invalid(Setting.SMTP_TLS, "none, starttls or tls");
        };
        int port = values.optional(Setting.SMTP_PORT).isEmpty() ? tls.defaultPort()
                : values.integer(Setting.SMTP_PORT, 1, 65535, "a TCP port 1-65535");
        Optional<String> from = values.optional(Setting.MAIL_FROM);
        if (host.isPresent() && from.isEmpty()) {
            throw new ConfigException(Setting.MAIL_FROM.flag() + " is required when " + Setting.SMTP_HOST.flag()
                    + " is given: mail needs a From address such as 'Cascade Live <noreply@live.example.org>'");
        }
        if (from.isPresent()) {
            try {
                MailConfig.parseAddress(from.get());
            } catch (IllegalArgumentException e) {
                throw values.invalid(Setting.MAIL_FROM, "an e-mail address, optionally with a name: 'Cascade Live <noreply@example.org>'");
            }
        }
        Duration backoff = values.duration(Setting.MAIL_RETRY_MAX_BACKOFF, Duration.ofSeconds(1));
        if (backoff.compareTo(Duration.ofHours(6)) > 0) throw values.invalid(Setting.MAIL_RETRY_MAX_BACKOFF, "a duration from 1s to 6h, such as 10m");
        Duration interval = values.duration(Setting.LIVE_NOTICE_INTERVAL, Duration.ZERO);
        if (interval.compareTo(Duration.ofDays(7)) > 0) throw values.invalid(Setting.LIVE_NOTICE_INTERVAL, "a duration from 0s to 7d, such as 1h");
        return new MailConfig(host, port, tls, values.optional(Setting.SMTP_USER), values.optional(Setting.SMTP_PASSWORD),
                from, backoff, interval);
    }

    MetricsAccess metricsAccess() {
        Optional<String> token = values.optional(Setting.METRICS_TOKEN);
        if (token.isPresent() && (token.get().length() < 16 || token.get().chars().anyMatch(c -> c <= ' ' || c > '~'))) {
            throw values.invalid(Setting.METRICS_TOKEN, "at least 16 printable characters without spaces (e.g. from `openssl rand -hex 24`)");
        }
        List<Cidr> allow = new ArrayList<>();
        for (String part : values.get(Setting.METRICS_ALLOW).split(",")) {
            if (part.isBlank()) continue;
            try {
                allow.add(Cidr.parse(part));
            } catch (IllegalArgumentException e) {
                throw values.invalid(Setting.METRICS_ALLOW, "comma-separated IP addresses or CIDR networks such as 10.0.0.0/8 (" + e.getMessage() + ")");
            }
        }
        return new MetricsAccess(token, List.copyOf(allow));
    }

    OperationsConfig operations() {
        int beacons = values.integer(Setting.QOE_BEACONS_PER_IP, 0, 100_000, "an integer 0-100000 (0 turns QoE collection off)");
        Optional<URI> hook = values.optional(Setting.WHIP_ADMISSION_URL).map(String::strip).map(u -> {
            try {
                URI uri = URI.create(u);
                if (("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) && uri.getHost() != null) return uri;
            } catch (IllegalArgumentException e) {
                // reported below
            }
            throw values.invalid(Setting.WHIP_ADMISSION_URL, "an absolute http:// or https:// URL, or empty for no hook");
        });
        Duration timeout = values.duration(Setting.WHIP_ADMISSION_TIMEOUT, Duration.ofMillis(100));
        if (timeout.compareTo(Duration.ofSeconds(30)) > 0) throw values.invalid(Setting.WHIP_ADMISSION_TIMEOUT, "a duration from 100ms to 30s, such as 2s");
        boolean open = switch (values.get(Setting.WHIP_ADMISSION_FAILURE).strip().toLowerCase(Locale.ROOT)) {
            case "open" -> true;
            case "closed" -> false;
            default -> throw values.invalid(Setting.WHIP_ADMISSION_FAILURE, "closed (refuse the publish when the hook fails) or open (admit it)");
        };
        return new OperationsConfig(beacons, hook, timeout, open);
    }

    ClusterConfig cluster() {
        java.util.Optional<String> id = values.optional(Setting.NODE_ID).map(String::strip);
        id.ifPresent(v -> {
            if (!v.matches("[A-Za-z0-9._-]{1,64}")) throw values.invalid(Setting.NODE_ID, "1-64 letters, digits, '.', '_' or '-'");
        });
        java.util.Optional<String> mediaIp = values.optional(Setting.MEDIA_PUBLIC_IP).map(String::strip);
        mediaIp.ifPresent(ip -> {
            if (!ConfigValues.isIpLiteral(ip)) throw values.invalid(Setting.MEDIA_PUBLIC_IP, "an IPv4 or IPv6 address literal");
        });
        String load = values.get(Setting.MAX_LOAD).strip();
        double maxLoad = 0;
        if (!load.equalsIgnoreCase("off")) {
            try {
                maxLoad = Double.parseDouble(load);
            } catch (NumberFormatException e) {
                maxLoad = -1;
            }
            if (!(maxLoad >= 0.05 && maxLoad <= 1)) throw values.invalid(Setting.MAX_LOAD, "'off' or a utilisation from 0.05 to 1, such as 0.8");
        }
        return new ClusterConfig(id, mediaIp, maxLoad);
    }

    StorageConfig storage() {
        String kind = values.get(Setting.STORAGE).strip().toLowerCase(Locale.ROOT);
        if (!kind.equals("local") && !kind.equals("s3")) throw values.invalid(Setting.STORAGE, "local or s3");
        Optional<URI> endpoint = values.optional(Setting.S3_ENDPOINT).map(u -> httpUrl(Setting.S3_ENDPOINT, u));
        Optional<URI> publicEndpoint = values.optional(Setting.S3_PUBLIC_ENDPOINT).map(u -> httpUrl(Setting.S3_PUBLIC_ENDPOINT, u));
        String region = values.text(Setting.S3_REGION, "a region name such as us-east-1");
        Optional<String> bucket = values.optional(Setting.S3_BUCKET);
        if (kind.equals("s3") && bucket.isEmpty()) {
            throw new ConfigException(Setting.S3_BUCKET.flag() + " is required with --storage s3: name the bucket the node keeps recordings in");
        }
        bucket.ifPresent(b -> {
            if (!b.matches("[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]")) throw values.invalid(Setting.S3_BUCKET, "a bucket name: 3-63 lower-case letters, digits, '.' or '-'");
        });
        String prefix = values.get(Setting.S3_PREFIX).strip();
        if (!prefix.isEmpty() && (!prefix.matches("[A-Za-z0-9._/-]{1,200}") || prefix.startsWith("/") || prefix.contains("//") || prefix.contains(".."))) {
            throw values.invalid(Setting.S3_PREFIX, "up to 200 letters, digits, '.', '_', '-' or '/', not starting with '/' (e.g. cascade/)");
        }
        Optional<String> accessKey = values.optional(Setting.S3_ACCESS_KEY);
        Optional<String> secretKey = values.optional(Setting.S3_SECRET_KEY);
        if (accessKey.isPresent() != secretKey.isPresent()) {
            throw new ConfigException((accessKey.isPresent() ? Setting.S3_SECRET_KEY : Setting.S3_ACCESS_KEY).flag()
                    + " is required when " + (accessKey.isPresent() ? Setting.S3_ACCESS_KEY : Setting.S3_SECRET_KEY).flag()
                    + " is given (or give neither to use the SDK's default credential chain)");
        }
        Duration lifetime = values.duration(Setting.S3_URL_LIFETIME, Duration.ofMinutes(1));
        if (lifetime.compareTo(Duration.ofHours(12)) > 0) throw values.invalid(Setting.S3_URL_LIFETIME, "a duration from 1m to 12h, such as 15m");
        return new StorageConfig(kind.equals("s3") ? StorageConfig.Kind.S3 : StorageConfig.Kind.LOCAL, endpoint, publicEndpoint, region,
                bucket.orElse(""), prefix, bool(Setting.S3_PATH_STYLE), accessKey, secretKey, bool(Setting.S3_PROXY), lifetime,
                values.integer(Setting.STORAGE_UPLOAD_BACKLOG, 1, 1_000_000, "an integer 1-1000000"));
    }

    private boolean bool(Setting s) {
        String v = values.get(s).strip().toLowerCase(Locale.ROOT);
        if (!v.equals("true") && !v.equals("false")) throw values.invalid(s, "true or false");
        return v.equals("true");
    }

    private URI httpUrl(Setting s, String u) {
        try {
            URI uri = URI.create(u.strip());
            if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) || uri.getHost() == null) throw new IllegalArgumentException();
            return uri;
        } catch (IllegalArgumentException e) {
            throw values.invalid(s, "an absolute http:// or https:// URL such as http://127.0.0.1:9000");
        }
    }
}
