package live.cascade.api.config;

import java.net.URI;
import java.time.Duration;
import java.util.Optional;

/**
 * Where recordings, clips and posters are kept once a broadcast has ended.
 *
 * @param kind           local disk (the default) or an S3-compatible bucket
 * @param endpoint       the S3 API the node talks to; empty: AWS S3 of {@code region}
 * @param publicEndpoint the address viewers reach the store by, for presigned URLs; empty: {@code endpoint}
 * @param prefix         prepended to every key ({@code cascade/}); may be empty
 * @param pathStyle      endpoint/bucket/key rather than bucket.endpoint/key
 * @param accessKey      with {@code secretKey}; both empty: the SDK's default credential chain
 * @param proxy          stream objects through the node instead of redirecting to presigned URLs
 * @param urlLifetime    lifetime of a presigned URL
 * @param uploadBacklog  uploads that may wait in the on-disk queue
 */
public record StorageConfig(Kind kind, Optional<URI> endpoint, Optional<URI> publicEndpoint, String region, String bucket,
                            String prefix, boolean pathStyle, Optional<String> accessKey, Optional<String> secretKey,
                            boolean proxy, Duration urlLifetime, int uploadBacklog) {
    public enum Kind { LOCAL, S3 }

    /** The embedded default: everything on the node's disk. */
    public static StorageConfig local() {
        return new StorageConfig(Kind.LOCAL, Optional.empty(), Optional.empty(), "us-east-1", "", "", true, Optional.empty(),
                Optional.empty(), false, Duration.ofMinutes(15), 1000);
    }

    /**
     * The origin viewers fetch objects from when they are redirected to presigned URLs (the public endpoint, else the
     * endpoint, else AWS S3's for the region), with the bucket in the host name for virtual-hosted style; empty for
     * local storage or when the node proxies.
     */
    public Optional<String> viewerOrigin() {
        if (kind == Kind.LOCAL || proxy) return Optional.empty();
        URI base = publicEndpoint.or(() -> endpoint).orElse(URI.create("https://s3." + region + ".amazonaws.com"));
        String host = pathStyle ? base.getHost() : bucket + "." + base.getHost();
        return Optional.of(base.getScheme() + "://" + host + (base.getPort() == -1 ? "" : ":" + base.getPort()));
    }

    @Override
    public String toString() { // never the secret key in a log line
        return "StorageConfig[" + kind + ", endpoint=" + endpoint.map(URI::toString).orElse("aws") + ", bucket=" + bucket + ", prefix=" + prefix + "]";
    }
}
