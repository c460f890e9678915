package live.cascade.api.config;

import live.cascade.hls.ladder.SourceVideo;
import live.cascade.sfu.params.SrtpProfile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ConfigLoaderTest {
    @TempDir
    Path dir;

    @Test
    void defaultsRunACompleteSingleNode() {
        CascadeConfig c = ConfigLoader.load(new String[0], Map.of());
        assertThat(c.httpPort()).isEqualTo(8080);
        assertThat(c.mediaPort()).isEqualTo(10000);
        assertThat(c.mediaWorkers()).isEqualTo(Runtime.getRuntime().availableProcessors());
        assertThat(c.dataDir()).isEqualTo(Path.of("data").toAbsolutePath());
        assertThat(c.dbUrl()).isEqualTo("jdbc:h2:file:" + Path.of("data").toAbsolutePath().resolve("cascade"));
        assertThat(c.redisUrl()).isEmpty();
        assertThat(c.tlsEnabled()).isFalse();
        assertThat(c.sessionTtl()).isEqualTo(Duration.ofDays(30));
    }

    @Test
    void flagsBeatEnvironmentWhichBeatsFileWhichBeatsDefaults() throws Exception {
        Path file = Files.writeString(dir.resolve("cascade.conf"), """
                http-port = 9001
                media-port = 20000
                data-dir = /tmp/from-file
                public-ip = 203.0.113.7
                """);
        CascadeConfig c = ConfigLoader.load(
                new String[]{"--config", file.toString(), "--http-port", "9003"},
                Map.of("CASCADE_HTTP_PORT", "9002", "CASCADE_MEDIA_PORT", "20002", "CASCADE_SESSION_TTL", "12h"));
        assertThat(c.httpPort()).isEqualTo(9003);
        assertThat(c.mediaPort()).isEqualTo(20002);
        assertThat(c.dataDir()).isEqualTo(Path.of("/tmp/from-file"));
        assertThat(c.publicIp()).contains("203.0.113.7");
        assertThat(c.sessionTtl()).isEqualTo(Duration.ofHours(12));
        assertThat(ConfigLoader.load(new String[]{"--http-port=9004"}, Map.of()).httpPort()).isEqualTo(9004);
    }

    @Test
    void admissionLimitsHaveDefaultsAndThePublisherReserveIsACountOrAPercentageLeavingRoomForViewers() {
        AdmissionConfig d = ConfigLoader.load(new String[0], Map.of()).admission();
        assertThat(d.publisherReserve()).as("10% of auto (450 per processor)").isEqualTo(45 * Runtime.getRuntime().availableProcessors());
        assertThat(d.whepPendingPerIp()).isEqualTo(10);
        assertThat(d.whepPendingPerChannel()).isEqualTo(200);
        assertThat(d.sessionSetupTimeout()).isEqualTo(java.time.Duration.ofSeconds(7));
        assertThat(d.signupsPerIp()).isEqualTo(10);
        assertThat(d.signupsTotal()).isEqualTo(500);
        assertThat(d.signupWindow()).isEqualTo(java.time.Duration.ofHours(1));
        assertThat(d.chatSocketsPerIp()).isEqualTo(20);
        assertThat(d.channelsPerAccount()).isEqualTo(5);
        assertThat(d.connectionsPerIp()).isEqualTo(100);

        assertThat(ConfigLoader.load(new String[]{"--max-sessions", "50", "--publisher-reserve", "7"}, Map.of()).admission().publisherReserve()).isEqualTo(7);
        assertThat(ConfigLoader.load(new String[]{"--max-sessions", "50", "--publisher-reserve", "25%"}, Map.of()).admission().publisherReserve()).isEqualTo(12);
        assertThat(ConfigLoader.load(new String[]{"--max-sessions", "2", "--publisher-reserve", "10%"}, Map.of()).admission().publisherReserve())
                .as("a percentage never rounds to no publishers").isEqualTo(1);
        assertThat(ConfigLoader.load(new String[]{"--max-sessions", "2", "--publisher-reserve", "100%"}, Map.of()).admission().publisherReserve())
                .as("nor to no viewers").isEqualTo(1);
        assertThatThrownBy(() -> ConfigLoader.load(new String[]{"--max-sessions", "50", "--publisher-reserve", "50"}, Map.of()))
                .isInstanceOf(ConfigException.class).hasMessageContaining("--publisher-reserve").hasMessageContaining("leaving at least 1");
        assertThatThrownBy(() -> ConfigLoader.load(new String[]{"--publisher-reserve", "ten"}, Map.of()))
                .isInstanceOf(ConfigException.class).hasMessageContaining("--publisher-reserve");
        assertThatThrownBy(() -> ConfigLoader.load(new String[]{"--max-sessions", "1"}, Map.of()))
                .isInstanceOf(ConfigException.class).hasMessageContaining("at least 2");
        int cores = Runtime.getRuntime().availableProcessors();
        assertThat(ConfigLoader.load(new String[0], Map.of()).maxSessions()).as("auto by default").isEqualTo(450 * cores);
        assertThat(ConfigLoader.load(new String[]{"--max-sessions", "AUTO"}, Map.of()).maxSessions()).isEqualTo(450 * cores);
        assertThatThrownBy(() -> ConfigLoader.load(new String[]{"--max-sessions", "many"}, Map.of()))
                .isInstanceOf(ConfigException.class).hasMessageContaining("auto, or an integer");
        assertThatThrownBy(() -> ConfigLoader.load(new String[]{"--session-setup-timeout", "2m"}, Map.of()))
                .isInstanceOf(ConfigException.class).hasMessageContaining("1s to 60s");
    }

    @Test
    void rtmpIngestListensOn1935UnlessOffOrAnotherPort() {
        IngestConfig d = ConfigLoader.load(new String[0], Map.of()).ingest();
        assertThat(d.rtmpPort()).isEqualTo(1935);
        assertThat(d.rtmpEnabled()).isTrue();
        assertThat(ConfigLoader.load(new String[]{"--rtmp-port", "off"}, Map.of()).ingest().rtmpEnabled()).isFalse();
        assertThat(ConfigLoader.load(new String[0], Map.of("CASCADE_RTMP_PORT", "0")).ingest().rtmpPort()).isZero();
        assertThatThrownBy(() -> ConfigLoader.load(new String[]{"--rtmp-port", "70000"}, Map.of()))
                .isInstanceOf(ConfigException.class).hasMessageContaining("rtmp-port");
    }

    @Test
    void theBFramePolicyIsWarnByDefaultAndReadFromFlagEnvironmentAndFile(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
            throws java.io.IOException {
        assertThat(ConfigLoader.load(new String[0], Map.of()).ingest().bframes()).isEqualTo(live.cascade.ingest.BFramePolicy.WARN);
        assertThat(ConfigLoader.load(new String[]{"--ingest-bframes", "reject"}, Map.of()).ingest().bframes())
                .isEqualTo(live.cascade.ingest.BFramePolicy.REJECT);
        assertThat(ConfigLoader.load(new String[0], Map.of("CASCADE_INGEST_BFRAMES", "REENCODE")).ingest().bframes())
                .isEqualTo(live.cascade.ingest.BFramePolicy.REENCODE);
        java.nio.file.Path file = java.nio.file.Files.writeString(dir.resolve("cascade.conf"), "ingest-bframes = reject\n");
        assertThat(ConfigLoader.load(new String[]{"--config", file.toString()}, Map.of()).ingest().bframes())
                .isEqualTo(live.cascade.ingest.BFramePolicy.REJECT);
        assertThatThrownBy(() -> ConfigLoader.load(new String[]{"--ingest-bframes", "drop"}, Map.of()))
                .isInstanceOf(ConfigException.class).hasMessageContaining("ingest-bframes").hasMessageContaining("reencode");
    }

    @Test
    void theHlsSourceRenditionIsChosenPerPublisherByDefaultAndFixedWhenFlagEnvironmentOrFileSaySo(
            @org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws java.io.IOException {
        assertThat(ConfigLoader.load(new String[0], Map.of()).mediaOutput().sourceVideo()).isEqualTo(SourceVideo.AUTO);
        assertThat(ConfigLoader.load(new String[]{"--hls-source", "encode"}, Map.of()).mediaOutput().sourceVideo()).isEqualTo(SourceVideo.ENCODE);
        assertThat(ConfigLoader.load(new String[0], Map.of("CASCADE_HLS_SOURCE", "COPY")).mediaOutput().sourceVideo()).isEqualTo(SourceVideo.COPY);
        java.nio.file.Path file = java.nio.file.Files.writeString(dir.resolve("cascade.conf"), "hls-source = encode\n");
        assertThat(ConfigLoader.load(new String[]{"--config", file.toString()}, Map.of()).mediaOutput().sourceVideo()).isEqualTo(SourceVideo.ENCODE);
        assertThat(ConfigLoader.load(new String[]{"--config", file.toString(), "--hls-source", "copy"}, Map.of()).mediaOutput().sourceVideo())
                .as("the flag beats the file").isEqualTo(SourceVideo.COPY);
        assertThatThrownBy(() -> ConfigLoader.load(new String[]{"--hls-source", "transcode"}, Map.of()))
                .isInstanceOf(ConfigException.class).hasMessageContaining("hls-source").hasMessageContaining("copy, encode or auto");
    }

    @Test
    void hlsFromSimulcastLayersIsOffByDefaultAndReadFromFlagEnvironmentAndFile(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
            throws java.io.IOException {
        assertThat(ConfigLoader.load(new String[0], Map.of()).mediaOutput().simulcastCopy()).isFalse();
        assertThat(ConfigLoader.load(new String[]{"--hls-simulcast", "copy"}, Map.of()).mediaOutput().simulcastCopy()).isTrue();
        assertThat(ConfigLoader.load(new String[0], Map.of("CASCADE_HLS_SIMULCAST", "COPY")).mediaOutput().simulcastCopy()).isTrue();
        java.nio.file.Path file = java.nio.file.Files.writeString(dir.resolve("cascade.conf"), "hls-simulcast = copy\n");
        assertThat(ConfigLoader.load(new String[]{"--config", file.toString(), "--hls-simulcast", "off"}, Map.of()).mediaOutput().simulcastCopy())
                .as("the flag beats the file").isFalse();
        assertThat(ConfigLoader.load(new String[]{"--config", file.toString()}, Map.of()).mediaOutput().simulcastCopy()).isTrue();
        assertThatThrownBy(() -> ConfigLoader.load(new String[]{"--hls-simulcast", "layers"}, Map.of()))
                .isInstanceOf(ConfigException.class).hasMessageContaining("hls-simulcast").hasMessageContaining("copy or off");
    }

    @Test
    void srtIngestIsOffUnlessAPortIsGivenAndItsLatencyAndPassphraseAreChecked() {
        IngestConfig d = ConfigLoader.load(new String[0], Map.of()).ingest();
        assertThat(d.srtEnabled()).isFalse();
        assertThat(d.srtLatencyMs()).isEqualTo(120);
        assertThat(d.srtPassphrase()).isEmpty();
        IngestConfig on = ConfigLoader.load(new String[]{"--srt-port", "8890", "--srt-latency", "500ms"},
                Map.of("CASCADE_SRT_PASSPHRASE", "a long enough secret")).ingest();
        assertThat(on.srtPort()).isEqualTo(8890);
        assertThat(on.srtLatencyMs()).isEqualTo(500);
        assertThat(on.toString()).as("the passphrase is never printed").doesNotContain("a long enough secret");
        assertThatThrownBy(() -> ConfigLoader.load(new String[]{"--srt-passphrase", "short"}, Map.of()))
                .isInstanceOf(ConfigException.class).hasMessageContaining("srt-passphrase");
        assertThatThrownBy(() -> ConfigLoader.load(new String[]{"--srt-latency", "20s"}, Map.of()))
                .isInstanceOf(ConfigException.class).hasMessageContaining("srt-latency");
        assertThatThrownBy(() -> ConfigLoader.load(new String[]{"--srt-port", "udp"}, Map.of()))
                .isInstanceOf(ConfigException.class).hasMessageContaining("srt-port");
    }

    @Test
    void trustedProxiesAndPasswordHashingAreReadAndChecked() {
        CascadeConfig defaults = ConfigLoader.load(new String[0], Map.of());
        assertThat(defaults.trustedProxies()).as("no proxy is trusted unless configured").isEmpty();
        assertThat(defaults.passwordHashThreads()).isZero();
        assertThat(defaults.passwordHashQueue()).isEqualTo(64);
        CascadeConfig c = ConfigLoader.load(new String[]{"--trusted-proxies", "10.0.0.0/8, 192.0.2.10,2001:db8::/32"}, Map.of());
        assertThat(c.trustedProxies()).extracting(Object::toString).containsExactly("10.0.0.0/8", "192.0.2.10/32", "2001:db8:0:0:0:0:0:0/32");
        assertThatThrownBy(() -> ConfigLoader.load(new String[]{"--trusted-proxies", "10.0.0.0/8,proxy.internal"}, Map.of()))
                .isInstanceOf(ConfigException.class).hasMessageStartingWith("invalid --trusted-proxies").hasMessageContaining("CIDR");
        assertThatThrownBy(() -> ConfigLoader.load(new String[]{"--password-hash-queue", "0"}, Map.of())).hasMessageContaining("--password-hash-queue");
    }

    @Test
    void badValueFailsWithOneLineNamingTheSettingAndWhatItAccepts() {
        assertThatThrownBy(() -> ConfigLoader.load(new String[]{"--http-port", "eighty"}, Map.of()))
                .isInstanceOf(ConfigException.class)
                .hasMessage("invalid --http-port 'eighty' (from --http-port): expected a TCP port 0-65535");
        assertThatThrownBy(() -> ConfigLoader.load(new String[0], Map.of("CASCADE_MEDIA_PORT", "70000")))
                .hasMessageContaining("--media-port").hasMessageContaining("CASCADE_MEDIA_PORT").hasMessageContaining("1-65535");
        assertThatThrownBy(() -> ConfigLoader.load(new String[]{"--db-url", "mysql://x"}, Map.of())).hasMessageContaining("jdbc:postgresql");
        assertThatThrownBy(() -> ConfigLoader.load(new String[]{"--public-ip", "example.org"}, Map.of())).hasMessageContaining("address literal");
        assertThatThrownBy(() -> ConfigLoader.load(new String[]{"--session-ttl", "forever"}, Map.of())).hasMessageContaining("duration");
        assertThatThrownBy(() -> ConfigLoader.load(new String[]{"--no-such-thing", "1"}, Map.of())).hasMessageContaining("unknown setting --no-such-thing");
        assertThatThrownBy(() -> ConfigLoader.load(new String[]{"--redis-url", "localhost:6379"}, Map.of())).hasMessageContaining("redis://");
        for (String bad : new String[]{"--http-port", "--secret", "--db-pool-size"}) {
            assertThatThrownBy(() -> ConfigLoader.load(new String[]{bad, "0x"}, Map.of())).message().doesNotContain("\n");
        }
    }

    @Test
    void chatCoalescingIsABoundedDurationThatZeroTurnsOff() {
        assertThat(ConfigLoader.load(new String[0], Map.of()).chatCoalesce()).isEqualTo(Duration.ofMillis(25));
        assertThat(ConfigLoader.load(new String[]{"--chat-coalesce", "0ms"}, Map.of()).chatCoalesce()).isZero();
        assertThat(ConfigLoader.load(new String[]{"--chat-coalesce", "1s"}, Map.of()).chatCoalesce()).isEqualTo(Duration.ofSeconds(1));
        assertThatThrownBy(() -> ConfigLoader.load(new String[]{"--chat-coalesce", "2s"}, Map.of()))
                .isInstanceOf(ConfigException.class).hasMessageContaining("--chat-coalesce").hasMessageContaining("0ms to 1s");
    }

    @Test
    void srtpProfilesAreAnOrderedListOfKnownProfilesAesCmFirstByDefault() {
        assertThat(ConfigLoader.load(new String[0], Map.of()).srtpProfiles())
                .containsExactly(SrtpProfile.AES_CM_128_HMAC_SHA1_80, SrtpProfile.AEAD_AES_128_GCM);
        assertThat(ConfigLoader.load(new String[0], Map.of("CASCADE_SRTP_PROFILES", " aead_aes_128_gcm ")).srtpProfiles())
                .containsExactly(SrtpProfile.AEAD_AES_128_GCM);
        assertThatThrownBy(() -> ConfigLoader.load(new String[]{"--srtp-profiles", "AES_CM_128_HMAC_SHA1_32"}, Map.of()))
                .isInstanceOf(ConfigException.class).hasMessageContaining("--srtp-profiles")
                .hasMessageContaining("'AES_CM_128_HMAC_SHA1_32' is not one of them");
        assertThatThrownBy(() -> ConfigLoader.load(new String[]{"--srtp-profiles", ","}, Map.of()))
                .hasMessageContaining("at least one of");
        assertThatThrownBy(() -> ConfigLoader.load(new String[]{"--srtp-profiles", "AEAD_AES_128_GCM,aead_aes_128_gcm"}, Map.of()))
                .hasMessageContaining("AEAD_AES_128_GCM twice");
    }

    @Test
    void unknownKeyInTheConfigFileIsRefused() throws Exception {
        Path file = Files.writeString(dir.resolve("bad.conf"), "http_port = 1\n");
        assertThatThrownBy(() -> ConfigLoader.load(new String[]{"--config", file.toString()}, Map.of()))
                .hasMessageContaining("unknown key 'http_port'");
    }

    @Test
    void helpListsEverySettingWithItsEnvironmentVariable() {
        assertThatThrownBy(() -> ConfigLoader.load(new String[]{"--help"}, Map.of())).isInstanceOf(ConfigLoader.HelpRequested.class);
        String usage = ConfigLoader.usage();
        for (Setting s : Setting.values()) {
            assertThat(usage).contains(s.flag()).contains(s.envName());
        }
    }

    @Test
    void docsDescribeEverySetting() throws Exception {
        Path docs = Path.of("..", "docs", "configuration.md");
        String text = Files.readString(docs);
        for (Setting s : Setting.values()) {
            assertThat(text).as("docs/configuration.md documents " + s.flag()).contains("`" + s.flag() + "`").contains("`" + s.envName() + "`");
        }
    }
}
