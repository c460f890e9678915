package live.cascade.api.config;

import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class StorageSettingsTest {
    private static StorageConfig load(Map<String, String> env, String... flags) {
        return ConfigLoader.load(flags, env).storage();
    }

    @Test
    void localDiskIsTheDefault() {
        StorageConfig s = load(Map.of());
        assertThat(s.kind()).isEqualTo(StorageConfig.Kind.LOCAL);
        assertThat(s.viewerOrigin()).isEmpty();
        assertThat(s.urlLifetime()).isEqualTo(Duration.ofMinutes(15));
        assertThat(s.uploadBacklog()).isEqualTo(1000);
    }

    @Test
    void everyS3SettingIsReadFromFlagsOrTheEnvironment() {
        StorageConfig s = load(Map.of("CASCADE_S3_ACCESS_KEY", "ak", "CASCADE_S3_SECRET_KEY", "sk", "CASCADE_S3_PREFIX", "env/"),
                "--storage", "s3", "--s3-endpoint", "http://127.0.0.1:9000", "--s3-public-endpoint", "https://media.example.org",
                "--s3-region", "eu-central-1", "--s3-bucket", "vod-bucket", "--s3-prefix", "live/", "--s3-path-style", "false",
                "--s3-proxy", "false", "--s3-url-lifetime", "5m", "--storage-upload-backlog", "50");
        assertThat(s.kind()).isEqualTo(StorageConfig.Kind.S3);
        assertThat(s.endpoint()).contains(URI.create("http://127.0.0.1:9000"));
        assertThat(s.publicEndpoint()).contains(URI.create("https://media.example.org"));
        assertThat(s.region()).isEqualTo("eu-central-1");
        assertThat(s.bucket()).isEqualTo("vod-bucket");
        assertThat(s.prefix()).as("a flag beats the environment").isEqualTo("live/");
        assertThat(s.pathStyle()).isFalse();
        assertThat(s.accessKey()).contains("ak");
        assertThat(s.secretKey()).contains("sk");
        assertThat(s.urlLifetime()).isEqualTo(Duration.ofMinutes(5));
        assertThat(s.uploadBacklog()).isEqualTo(50);
        assertThat(s.toString()).doesNotContain("sk");
    }

    @Test
    void viewersAreSentToThePublicEndpointWithTheBucketInTheHostForVirtualHostedStyle() {
        assertThat(load(Map.of(), "--storage", "s3", "--s3-bucket", "vod", "--s3-endpoint", "http://10.0.0.5:9000",
                "--s3-public-endpoint", "https://media.example.org").viewerOrigin()).contains("https://media.example.org");
        assertThat(load(Map.of(), "--storage", "s3", "--s3-bucket", "vod", "--s3-endpoint", "http://127.0.0.1:9000").viewerOrigin())
                .contains("http://127.0.0.1:9000");
        assertThat(load(Map.of(), "--storage", "s3", "--s3-bucket", "vod", "--s3-region", "eu-west-1", "--s3-path-style", "false").viewerOrigin())
                .contains("https://vod.s3.eu-west-1.amazonaws.com");
        assertThat(load(Map.of(), "--storage", "s3", "--s3-bucket", "vod", "--s3-proxy", "true").viewerOrigin())
                .as("proxied: viewers only talk to the node").isEqualTo(Optional.empty());
    }

    @Test
    void badStorageSettingsAreRefusedWithWhatWouldDo() {
        assertThatThrownBy(() -> load(Map.of(), "--storage", "gcs")).isInstanceOf(ConfigException.class).hasMessageContaining("local or s3");
        assertThatThrownBy(() -> load(Map.of(), "--storage", "s3")).isInstanceOf(ConfigException.class)
                .hasMessageContaining("--s3-bucket is required with --storage s3");
        assertThatThrownBy(() -> load(Map.of(), "--storage", "s3", "--s3-bucket", "Bad_Bucket")).isInstanceOf(ConfigException.class)
                .hasMessageContaining("bucket name");
        assertThatThrownBy(() -> load(Map.of(), "--storage", "s3", "--s3-bucket", "ok-bucket", "--s3-endpoint", "ftp://x"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("http://");
        assertThatThrownBy(() -> load(Map.of(), "--storage", "s3", "--s3-bucket", "ok-bucket", "--s3-access-key", "ak"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("--s3-secret-key is required");
        assertThatThrownBy(() -> load(Map.of(), "--s3-prefix", "/abs")).isInstanceOf(ConfigException.class).hasMessageContaining("--s3-prefix");
        assertThatThrownBy(() -> load(Map.of(), "--s3-prefix", "a/../b")).isInstanceOf(ConfigException.class);
        assertThatThrownBy(() -> load(Map.of(), "--s3-path-style", "yes")).isInstanceOf(ConfigException.class).hasMessageContaining("true or false");
        assertThatThrownBy(() -> load(Map.of(), "--s3-url-lifetime", "1d")).isInstanceOf(ConfigException.class).hasMessageContaining("1m to 12h");
        assertThatThrownBy(() -> load(Map.of(), "--storage-upload-backlog", "0")).isInstanceOf(ConfigException.class);
    }
}
