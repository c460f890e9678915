package live.cascade.api.config;

import java.util.Locale;

/**
 * Every setting a node understands. Each one is a flag ({@code --http-port}), an environment variable
 * ({@code CASCADE_HTTP_PORT}) and a config-file key ({@code http-port}); {@code docs/configuration.md} lists them all,
 * and a test keeps that page in step with this enum.
 */
public enum Setting {
    CONFIG("config", "", "Path of an optional config file (key = value lines, keys as the flag names without --)."),
    HTTP_HOST("http-host", "0.0.0.0", "Address the HTTP(S) server binds to."),
    HTTP_PORT("http-port", "8080", "TCP port of the HTTP(S) server (1-65535, or 0 for any free port)."),
    PUBLIC_URL("public-url", "", "Base URL people use to reach this node, e.g. https://live.example.org (printed at start; derived from the bind address when empty)."),
    MEDIA_PORT("media-port", "10000", "First UDP port of the media workers; worker i listens on media-port + i."),
    MEDIA_WORKERS("media-workers", "0", "Number of media workers (one UDP port and one thread each); 0 means one per CPU core."),
    DATA_DIR("data-dir", "./data", "Directory for the embedded database, the node secret, recordings and HLS output."),
    DB_URL("db-url", "", "JDBC URL of the database. Empty means embedded H2 in the data directory; use jdbc:postgresql://host:5432/name for PostgreSQL."),
    DB_USER("db-user", "", "Database user (PostgreSQL)."),
    DB_PASSWORD("db-password", "", "Database password (PostgreSQL)."),
    DB_POOL_SIZE("db-pool-size", "10", "Maximum number of pooled database connections (1-200)."),
    REDIS_URL("redis-url", "", "Redis URL (redis://host:6379) to share chat, presence, rate limits, node commands (revocations, stop), the node registry and channel placement between nodes; empty runs them in process (a single node)."),
    PUBLIC_IP("public-ip", "", "Public IPv4/IPv6 address advertised first in ICE candidates (NAT 1:1 for nodes behind a router)."),
    NODE_ID("node-id", "", "This node's id in a multi-node deployment (letters, digits, '.', '_', '-'; at most 64): in the node list, the channel placement and logs. Empty: derived from the host name and the HTTP and media ports, so a restarted node keeps its id."),
    MAX_LOAD("max-load", "off", "Utilisation (0.05-1: the larger of this node's session share and its CPU) from which a WHIP publisher or a WHEP viewer is steered to a less loaded node (307 with a single-use token in place of the stream key or viewer token); 'off' never steers for load (a draining node always does)."),
    MEDIA_PUBLIC_IP("media-public-ip", "", "Address other nodes reach this node's media at (origin to edge relays), where it differs from public-ip (a private network between nodes); empty: public-ip, else the node's advertised interface addresses."),
    SRTP_PROFILES("srtp-profiles", "AES_CM_128_HMAC_SHA1_80,AEAD_AES_128_GCM", "DTLS-SRTP protection profiles this node negotiates, most preferred first: AES_CM_128_HMAC_SHA1_80 (the node's own transform, allocation-free; the only one FFmpeg's WHIP offers) and/or AEAD_AES_128_GCM (through Jitsi SRTP)."),
    ICE_INTERFACES("ice-interfaces", "", "Comma-separated allow-list of interface names or addresses whose addresses are advertised as ICE candidates; empty allows all."),
    MEDIA_HOST("media-host", "0.0.0.0", "Address the media workers' UDP sockets bind to; a specific address is then the only one advertised (besides public-ip)."),
    ICE_SERVERS("ice-servers", "", "Comma-separated STUN URLs offered to WHIP/WHEP clients in Link headers and to the web app, e.g. stun:stun.example.org:3478 (TURN URLs go in turn-urls)."),
    ICE_TCP_PORT("ice-tcp-port", "10000", "First TCP port of passive ICE-TCP (RFC 6544) for viewers and publishers whose network blocks UDP; worker i listens on ice-tcp-port + i, advertised below the UDP candidates. 0 picks any free ports; 'off' disables ICE-TCP."),
    TURN_URLS("turn-urls", "", "Comma-separated turn:/turns: URLs of the coturn beside this node, e.g. turn:live.example.org:3478?transport=udp,turns:live.example.org:443?transport=tcp; handed out with fresh credentials minted with turn-secret."),
    TURN_SECRET("turn-secret", "", "Secret shared with coturn (its static-auth-secret with use-auth-secret): the node mints TURN REST API credentials with it (username expiry:id, password base64(HMAC-SHA1(secret, username))). At least 16 characters."),
    TURN_CREDENTIAL_TTL("turn-credential-ttl", "5m", "Lifetime of a minted TURN credential (1m-24h); a client must allocate within it, an allocation then lives on by refreshes."),
    RELAY_LINGER("relay-linger", "10s", "How long a relay that pulls a channel from another node stays open after this node's last viewer of it left, so a viewer who reloads finds it still running (0s closes at once)."),
    PUBLISHER_GRACE("publisher-grace", "10s", "How long a channel whose publisher vanished stays 'reconnecting'; a publisher back within it continues the same broadcast."),
    MAX_SESSIONS("max-sessions", "auto", "WHIP plus WHEP sessions this node serves at once (at least 2), shared out by publisher-reserve; past a share, new sessions of that kind get 503 with Retry-After. auto: 450 per processor the node may run on, from the measured CPU per viewer of a 1.65 Mbit/s channel (docs/performance.md); set a number for higher or lower bitrates."),
    PUBLISHER_RESERVE("publisher-reserve", "10%", "Part of max-sessions only WHIP publishers may use, as a count (50) or a percentage (10%); viewers get the rest, so neither can lock the other out. At least 1, and at least 1 left for viewers."),
    WHEP_PENDING_PER_IP("whep-pending-per-ip", "10", "WHEP sessions one IP address (one /64 for IPv6) may have still connecting (ICE/DTLS not done) before 429 with Retry-After; connected viewers do not count, so many viewers behind one NAT can watch."),
    WHEP_PENDING_PER_CHANNEL("whep-pending-per-channel", "200", "WHEP sessions one channel may have still connecting, from all addresses together, before 429 with Retry-After."),
    SIGNUPS_PER_IP("signups-per-ip", "10", "Signups one IP address (one /64 for IPv6) may make per signup-window; past it, 429 with Retry-After."),
    SIGNUPS_TOTAL("signups-total", "500", "Signups the whole node (every node, with Redis) accepts per signup-window from all addresses together; past it, 429 with Retry-After."),
    SIGNUP_WINDOW("signup-window", "1h", "Window of the signup limits (e.g. 1h, 1d)."),
    CHAT_SOCKETS_PER_IP("chat-sockets-per-ip", "20", "Chat WebSockets one IP address (one /64 for IPv6) may hold open on this node; past it the upgrade gets 429 with Retry-After."),
    CHANNELS_PER_ACCOUNT("channels-per-account", "5", "Channels one account may own (administrators excepted); past it, creating another gets 429."),
    BROADCASTS_PER_ACCOUNT("broadcasts-per-account", "2", "Broadcasts one account may have live at once over all nodes sharing the database (administrators excepted); a WHIP publish past it gets 429. Each broadcast runs its own HLS tap and ladder."),
    CONNECTIONS_PER_IP("connections-per-ip", "100", "HTTP connections one IP address (one /64 for IPv6) may hold open at once; requests on connections past it get 429 with Retry-After and the connection is closed. Trusted proxies are not capped."),
    SESSION_SETUP_TIMEOUT("session-setup-timeout", "7s", "A WHIP/WHEP session that has not completed ICE and DTLS this long (1s-60s) after its offer is closed and frees its slot."),
    TLS_CERT("tls-cert", "", "PEM certificate chain; with tls-key the server speaks HTTPS (browsers allow camera capture only on secure origins). Both files are read again on SIGHUP (systemctl reload) without a restart."),
    TLS_KEY("tls-key", "", "PEM private key (PKCS#8, or traditional RSA/EC) of tls-cert's certificate; a key that is not its key stops the start (and is refused on SIGHUP)."),
    ACME_DOMAIN("acme-domain", "", "Domain names (comma-separated, the first one primary) this node obtains and renews its HTTPS certificate for over ACME (RFC 8555): the HTTP port then speaks HTTPS with it. Not with tls-cert. Empty: no ACME."),
    ACME_EMAIL("acme-email", "", "Contact address of the ACME account, for the CA's expiry and problem notices; optional."),
    ACME_DIRECTORY("acme-directory", "https://acme-v02.api.letsencrypt.org/directory", "Directory URL of the ACME CA; Let's Encrypt's staging directory (https://acme-staging-v02.api.letsencrypt.org/directory) is the one to try a setup with."),
    ACME_AGREE_TOS("acme-agree-tos", "false", "true once you have read and accept the terms of service of the acme-directory CA; required with acme-domain (the CA refuses an account without it)."),
    ACME_HTTP_PORT("acme-http-port", "80", "Plain-HTTP port that answers the CA's HTTP-01 challenges (/.well-known/acme-challenge/) and redirects every other request to https; the CA checks port 80, so forward 80 here when it differs. 0 = any free port."),
    ACME_RENEW_BEFORE("acme-renew-before", "30d", "Renew the certificate when this little of its life is left (1h-90d)."),
    ACME_CHECK_INTERVAL("acme-check-interval", "12h", "How often the node checks whether its certificate is due (1m-24h); failed attempts are retried sooner, backing off from 1m to this interval."),
    ACME_CA_TRUST("acme-ca-trust", "", "PEM file of CA certificates trusted for the ACME server's own HTTPS (a private ACME CA such as step-ca); empty: the JDK's trust store."),
    HSTS_MAX_AGE("hsts-max-age", "365d", "With TLS on, responses carry Strict-Transport-Security with this max-age, so browsers use https:// only; 0 sends no header. Never sent over plain HTTP."),
    HSTS_INCLUDE_SUBDOMAINS("hsts-include-subdomains", "true", "Whether Strict-Transport-Security covers every subdomain of the node's host too (includeSubDomains): true or false."),
    SECRET("secret", "", "Node secret (at least 32 characters) that encrypts stream keys at rest; every node sharing a database needs the same one. Empty: generated once and kept in <data-dir>/secret.key."),
    BOOTSTRAP_ADMIN("bootstrap-admin", "", "Username of the node's administrator: that account is made admin when it signs up (or at start if it exists), and the first account to sign up no longer is. Empty: the first account to sign up is the admin."),
    SESSION_TTL("session-ttl", "30d", "Lifetime of a login session (e.g. 12h, 30d)."),
    MAX_BODY_SIZE("max-body-size", "1048576", "Largest accepted request body in bytes; larger bodies get 413."),
    HTTP_IDLE_TIMEOUT("http-idle-timeout", "30s", "How long an HTTP connection may stay silent, idle or half-way through a request, before it is closed; a request cut off this way gets 408."),
    LOGIN_MAX_FAILURES_PER_IP("login-max-failures-per-ip", "20", "Failed logins allowed from one IP address (one /64 for IPv6) per login-throttle-window before 429."),
    LOGIN_MAX_FAILURES_PER_ACCOUNT("login-max-failures-per-account", "10", "Failed logins allowed against one account from one IP address (one /64 for IPv6) per login-throttle-window before 429; the account stays open from every other address."),
    LOGIN_THROTTLE_WINDOW("login-throttle-window", "15m", "Window of the login throttle (e.g. 15m, 1h)."),
    SHUTDOWN_GRACE("shutdown-grace", "10s", "How long a stopping node lets in-flight requests finish."),
    REDIS_NAMESPACE("redis-namespace", "cascade", "Prefix of every Redis key and pub/sub channel this node uses: nodes of one deployment share it; deployments sharing one Redis need different ones."),
    CHAT_RATE_LIMIT("chat-rate-limit", "20", "Chat messages one user may post per chat-rate-window (all channels, all nodes when Redis is set)."),
    CHAT_RATE_WINDOW("chat-rate-window", "30s", "Window of the per-user chat rate limit (e.g. 30s, 1m)."),
    CHAT_COALESCE("chat-coalesce", "25ms", "How long chat fan-out gathers events before writing, so each socket gets them in one write (0ms-1s; 0ms writes each event at once)."),
    HLS_LADDER("hls-ladder", "source,720p,480p,360p", "Renditions of the live HLS ladder: 'source' (the publisher's H.264 as sent; re-encoded when it sends VP8) and heights such as 1080p, 720p, 480p, 360p, never above the source; 'off' turns live HLS off."),
    HLS_PART("hls-part", "333ms", "Low-latency HLS part target, 200ms-500ms: every rendition's 2 s segments are also published as parts this long at most, with blocking playlist reloads; 'off' serves plain HLS only."),
    HLS_SIMULCAST("hls-simulcast", "off", "HLS renditions of a publisher that sends H.264 simulcast: 'copy' makes one rendition per layer, copied without re-encoding (no x264), cut where every layer has a keyframe (asked of all layers at once); 'off' encodes the ladder from the top layer. VP8 simulcast, or a layer that never keys in step, keeps the ladder."),
    HLS_SOURCE("hls-source", "auto", "The HLS source rendition of an H.264 publisher: 'copy' passes its video through as sent, asking a WebRTC publisher for a keyframe before every segment (each one costs its WebRTC viewers several ms of latency); 'encode' encodes it with x264 at the source's size with keyframes of its own, asking the publisher for none (but one per 10 s for the recording); 'auto' encodes for WebRTC (WHIP) publishers and copies RTMP/SRT, whose encoders keep their own keyframe interval. HEVC and AV1 are always copied, VP8 always encoded."),
    HLS_ENCODER("hls-encoder", "libx264", "H.264 encoder of the HLS ladder: libx264, or h264_nvenc on an NVIDIA GPU (falls back to libx264 when it cannot open)."),
    PLAYBACK_TOKEN_LIFETIME("playback-token-lifetime", "6h", "How long a playback token (on live HLS and VOD playlist URLs) is good, 10m-7d; a live player that keeps polling keeps its session past it. VOD playlists share one token per channel per interval of this length."),
    HLS_VIEWERS_PER_IP("hls-viewers-per-ip", "10", "HLS players from one client address (an IPv6 /64) counted as viewers of one channel (1-1000000); more still play but do not raise the count."),
    TIMESTAMP_JUMP_THRESHOLD("timestamp-jump-threshold", "1s", "A step between two frames' media timestamps beyond this (100ms-1m) is a clock jump, not media: the track is re-anchored on the sender reports (or arrival time) for the recording and HLS; smaller steps back are dropped (audio) or nudged forward (video)."),
    RECORDINGS("recordings", "true", "Record every broadcast, without re-encoding, for VOD and clips: true or false."),
    RECORDING_RETENTION_UNPUBLISHED("recording-retention-unpublished", "30d", "How long unpublished (draft) recordings and clips are kept before the cleaner deletes them (e.g. 7d); 0 keeps them."),
    RECORDING_RETENTION_PUBLISHED("recording-retention-published", "0", "How long published recordings and clips are kept after publication; 0 keeps them."),
    PASSWORD_HASH_THREADS("password-hash-threads", "0", "Threads that hash and check passwords (Argon2id, 19 MiB each); 0 means CPU cores - 1. Never more than cores - 1, never fewer than 1, so logins cannot starve requests or media."),
    METRICS_TOKEN("metrics-token", "", "Bearer token /metrics asks for (at least 16 characters); Prometheus sends it with authorization: credentials. Empty: no token needed."),
    METRICS_ALLOW("metrics-allow", "", "Comma-separated addresses or CIDR networks (10.0.0.0/8, ::1) that may read /metrics; others get 403. Empty: any address (with metrics-token, any that has the token)."),
    TRUSTED_PROXIES("trusted-proxies", "", "Comma-separated addresses or CIDR networks (10.0.0.0/8, 2001:db8::/32) of reverse proxies whose X-Forwarded-For/Forwarded headers are believed; the client is the first address from the right that is not one of them. Empty: the headers are ignored."),
    PASSWORD_HASH_QUEUE("password-hash-queue", "64", "Signups, logins and password changes that may wait for a hashing thread (1-10000); past it they get 503 with Retry-After."),
    DB_WRITE_QUEUE("db-write-queue", "20000", "Database writes that must not be lost (stream sessions, viewer sessions, recording rows) that may wait in memory while the database is unreachable (100-10000000, about 200 bytes each); past it new ones are dropped, counted in cascade_db_write_queue_overflow_total and logged once per episode."),
    DB_RETRY_MAX_BACKOFF("db-retry-max-backoff", "5s", "Longest wait between two attempts of a queued database write while the database is unreachable (100ms-5m); the waits double from 100 ms up to it."),
    RTMP_PORT("rtmp-port", "1935", "TCP port of the RTMP ingest (OBS server rtmp://HOST:PORT/live, stream key = the channel's stream key); 'off' disables it, 0 takes any free port."),
    RTMP_HOST("rtmp-host", "0.0.0.0", "Address the RTMP and RTMPS ingest listen on."),
    RTMPS_PORT("rtmps-port", "off", "TCP port of the RTMPS ingest (RTMP inside TLS with the node's tls-cert and tls-key; OBS server rtmps://HOST:PORT/live), e.g. 1936 or 443 on a separate address; 'off' (the default) disables it, 0 takes any free port."),
    SRT_PORT("srt-port", "off", "UDP port of the SRT ingest (OBS server srt://HOST:PORT?streamid=KEY, many publishers share it), e.g. 8890; 'off' (the default) disables it, 0 takes any free port. Needs libsrt (Debian: libsrt1.5-openssl)."),
    SRT_HOST("srt-host", "0.0.0.0", "Address the SRT ingest listens on."),
    SRT_LATENCY("srt-latency", "120ms", "SRT receive latency: how long the node waits for retransmissions on a lossy link before giving a packet up (SRTO_RCVLATENCY; the larger of this and the caller's own applies); 20ms to 10s."),
    SRT_PASSPHRASE("srt-passphrase", "", "When set, SRT callers must encrypt (AES) with this passphrase (10 to 79 characters; in OBS: '&passphrase=...' in the server URL); empty (the default) for none."),
    INGEST_BFRAMES("ingest-bframes", "warn", "What an RTMP or SRT publish whose H.264 has B-frames gets (WebRTC viewers see such video stutter; HLS and recordings are fine): warn (take it, and tell the creator in the studio, /metrics and the RTMP onStatus how to turn B-frames off), reject (refuse it before it goes live, with an onStatus error saying how; counted in cascade_ingest_bframe_rejected_total) or reencode (re-encode its video without B-frames with libx264 for every viewer, from the first keyframe with B-frames: CPU per such channel, see docs/streaming.md)."),
    SMTP_HOST("smtp-host", "", "SMTP server that sends this node's e-mail (address verification, password reset, live notifications). Empty: e-mail is off, sign-ups need no verification, and password reset answers 503."),
    SMTP_PORT("smtp-port", "", "SMTP server port; empty means 587 with smtp-tls starttls, 465 with tls, 25 with none."),
    SMTP_TLS("smtp-tls", "starttls", "How the SMTP connection is secured: starttls (upgrade required, certificate checked), tls (TLS from the first byte, certificate checked) or none (plain text: a local relay only)."),
    SMTP_USER("smtp-user", "", "SMTP user name; empty sends without authentication."),
    SMTP_PASSWORD("smtp-password", "", "SMTP password for smtp-user."),
    MAIL_FROM("mail-from", "", "From address of this node's e-mail, such as 'Cascade Live <noreply@live.example.org>'; required when smtp-host is set."),
    MAIL_RETRY_MAX_BACKOFF("mail-retry-max-backoff", "10m", "Longest wait between two attempts of a mail the SMTP server did not take (1s-6h); the waits double from 5 s (or this, if shorter). Queued mail is kept in the database until sent, across restarts."),
    LIVE_NOTICE_INTERVAL("live-notice-interval", "1h", "A channel's followers get at most one 'is live' e-mail per this interval (0s-7d), so a stream that drops and restarts does not flood them."),
    ACCOUNT_DELETION_GRACE("account-deletion-grace", "7d", "How long after its owner asks (DELETE /api/me) an account is erased (0s-90d); until then logging in and POST /api/me/deletion/cancel keeps it. 0s erases at once."),
    STORAGE("storage", "local", "Where finished recordings, clips and their posters are kept: local (the data directory, served by the node) or s3 (an S3-compatible bucket: MinIO, Ceph RGW, Garage, AWS S3, GCS interoperability, R2; uploaded after the broadcast, played from presigned URLs)."),
    S3_ENDPOINT("s3-endpoint", "", "URL of the S3 API the node uploads to, e.g. http://127.0.0.1:9000 for MinIO; empty uses AWS S3 of s3-region."),
    S3_PUBLIC_ENDPOINT("s3-public-endpoint", "", "URL viewers reach the store by, used in presigned URLs when it differs from s3-endpoint (e.g. https://media.example.org in front of a private MinIO); empty uses s3-endpoint."),
    S3_REGION("s3-region", "us-east-1", "Region of the bucket (signing region; MinIO and most self-hosted stores accept us-east-1)."),
    S3_BUCKET("s3-bucket", "", "Bucket of the objects; required with --storage s3. The node never creates it."),
    S3_PREFIX("s3-prefix", "", "Key prefix of every object (e.g. cascade/), so several deployments can share a bucket; objects go under {prefix}recordings/, {prefix}clips/ and {prefix}thumbnails/."),
    S3_PATH_STYLE("s3-path-style", "true", "Address the bucket as endpoint/bucket/key (true: MinIO, Ceph, Garage, s3rver) or as bucket.endpoint/key (false: virtual-hosted style, AWS S3 and R2)."),
    S3_ACCESS_KEY("s3-access-key", "", "Access key id; with s3-secret-key. Empty: the SDK's default provider chain (AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, ~/.aws/credentials, instance or container roles)."),
    S3_SECRET_KEY("s3-secret-key", "", "Secret access key matching s3-access-key."),
    S3_PROXY("s3-proxy", "false", "true: the node streams objects to viewers itself (with Range) instead of redirecting them to presigned URLs, for a bucket viewers cannot reach."),
    S3_URL_LIFETIME("s3-url-lifetime", "15m", "How long a presigned URL a viewer is redirected to is good (1m-12h); each request for media or a poster gets a fresh one."),
    QOE_BEACONS_PER_IP("qoe-beacons-per-ip", "60", "Player quality beacons (POST /api/qoe) taken from one client address (an IPv6 /64) per minute (0-100000); past it they get 429. 0 turns QoE collection off (404)."),
    WHIP_ADMISSION_URL("whip-admission-url", "", "URL the node POSTs each WHIP or RTMP publish to (channel, owner, client address; signed like webhooks with the node's admission secret) before admitting it: 2xx admits, 403/409/429 refuses with the hook's detail. Empty: no hook."),
    WHIP_ADMISSION_TIMEOUT("whip-admission-timeout", "2s", "How long a publish waits for the admission hook's answer (100ms-30s); past it the hook counts as failed."),
    WHIP_ADMISSION_FAILURE("whip-admission-failure", "closed", "What a failed admission hook (timeout, unreachable, 5xx, any other status) means: closed refuses the publish with 503, open admits it."),
    STORAGE_UPLOAD_BACKLOG("storage-upload-backlog", "1000", "Uploads that may wait in the on-disk queue (data-dir/uploads) while the store is unreachable or slow (1-1000000); recordings past it stay on local disk, served by the node, and are queued once there is room."),
    VIEWER_BWE("viewer-bwe", "on", "Per-viewer send-side bandwidth estimation (GoogCC-style, from the viewer's transport-cc feedback; its REMB when it has none), padding probes and a pacer at 2.5x the estimate in front of each viewer's sends; with simulcast it also picks each viewer's layer: on or off. Off forwards every packet at once, as before (the layer then follows the viewer's REMB)."),
    SPREAD_VIEWERS("spread-viewers", "on", "One channel's WebRTC viewers spread over every media worker: on or off. On places each new viewer on the worker with the fewest viewers and feeds each other worker the channel's packets once (a relay router per worker), so one channel can use every core; off keeps a channel's viewers on its publisher's worker. Simulcast channels keep their viewers on one worker either way.");

    private final String key;
    private final String defaultValue;
    private final String description;

    Setting(String key, String defaultValue, String description) {
        this.key = key;
        this.defaultValue = defaultValue;
        this.description = description;
    }

    /** The config-file key, also the flag name without its leading dashes. */
    public String key() { return key; }

    public String flag() { return "--" + key; }

    public String envName() { return "CASCADE_" + key.toUpperCase(Locale.ROOT).replace('-', '_'); }

    public String defaultValue() { return defaultValue; }

    public String description() { return description; }

    public static Setting byKey(String key) {
        for (Setting s : values()) if (s.key.equals(key)) return s;
        return null;
    }
}
