package live.cascade.api.storage;

import live.cascade.api.config.StorageConfig;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * An S3-compatible bucket through the AWS SDK v2 (MinIO, Ceph RGW, Garage, AWS S3, GCS interoperability, R2).
 *
 * <p>The SDK's newer default of a CRC checksum on every request and response is off ({@code WHEN_REQUIRED}): many
 * S3-compatible stores reject or mangle those headers. Integrity is checked the way every store understands instead:
 * each PUT and part carries {@code Content-MD5} (the store refuses a body that does not match), and the ETag and size
 * the store reports afterwards are compared with the file's (that check caught a store keeping the SDK's aws-chunked
 * framing inside the object, hence plain signed bodies). The SHA-256 goes along as user metadata, so a later
 * migration or audit can compare without reading the object.
 *
 * <p>The SDK does not retry here: the upload queue retries with its own backoff, so a store that is down costs one
 * short attempt per round, not the SDK's several.
 */
public final class S3Storage implements ObjectStore {
    /** Files above this go up as multipart uploads of parts this size (the minimum part is 5 MiB). */
    static final long PART_SIZE = 16L << 20;
    private static final String SHA256_META = "sha256";

    private final S3Client s3;
    private final S3Presigner presigner;
    private final String bucket;

    public S3Storage(StorageConfig cfg) {
        this.bucket = cfg.bucket();
        AwsCredentialsProvider credentials = cfg.accessKey().isPresent()
                ? StaticCredentialsProvider.create(AwsBasicCredentials.create(cfg.accessKey().get(), cfg.secretKey().orElseThrow()))
                : DefaultCredentialsProvider.builder().build();
        Region region = Region.of(cfg.region());
        var builder = S3Client.builder()
                .region(region)
                .credentialsProvider(credentials)
                // aws-chunked bodies (the SDK's default over plain HTTP) are stored as they come by some S3-compatible
                // servers (s3rver does: the chunk signatures end up in the object); a plainly signed body works everywhere.
                .serviceConfiguration(S3Configuration.builder().pathStyleAccessEnabled(cfg.pathStyle()).chunkedEncodingEnabled(false).build())
                .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
                .httpClientBuilder(UrlConnectionHttpClient.builder()
                        .connectionTimeout(Duration.ofSeconds(5))
                        .socketTimeout(Duration.ofSeconds(60)))
                .overrideConfiguration(o -> o.retryStrategy(AwsRetryStrategy.doNotRetry()));
        cfg.endpoint().ifPresent(builder::endpointOverride);
        this.s3 = builder.build();
        var presign = S3Presigner.builder()
                .region(region)
                .credentialsProvider(credentials)
                .serviceConfiguration(S3Configuration.builder().pathStyleAccessEnabled(cfg.pathStyle()).build());
        cfg.publicEndpoint().or(cfg::endpoint).ifPresent(presign::endpointOverride);
        this.presigner = presign.build();
    }

    @Override
    public String kind() { return "s3"; }

    @Override
    public StoredObject put(String key, Path file, String contentType) throws StorageException {
        Checksums.Digests d;
        try {
            d = Checksums.of(file);
        } catch (IOException e) {
            throw new StorageException("cannot read " + file + ": " + e.getMessage(), false, e);
        }
        String expectedEtag;
        try {
            expectedEtag = d.size() > PART_SIZE ? multipart(key, file, d, contentType) : single(key, file, d, contentType);
        } catch (SdkException e) {
            throw failure("upload " + key, e);
        } catch (IOException e) {
            throw new StorageException("cannot read " + file + ": " + e.getMessage(), true, e);
        }
        StoredObject stored = head(key).orElseThrow(() -> new StorageException("the store does not list " + key + " after its upload", true));
        if (stored.size() != d.size()) {
            throw new StorageException("the store holds " + stored.size() + " bytes under " + key + ", the file has " + d.size(), true);
        }
        return new StoredObject(key, stored.size(), d.sha256Hex());
    }

    private String single(String key, Path file, Checksums.Digests d, String contentType) {
        String md5 = Base64.getEncoder().encodeToString(d.md5());
        String etag = s3.putObject(b -> b.bucket(bucket).key(key).contentType(contentType).contentLength(d.size()).contentMD5(md5)
                .metadata(Map.of(SHA256_META, d.sha256Hex())), RequestBody.fromFile(file)).eTag();
        String want = HexFormat.of().formatHex(d.md5());
        if (etag != null && etag.replace("\"", "").matches("[0-9a-f]{32}") && !etag.replace("\"", "").equals(want)) {
            throw S3Exception.builder().message("ETag " + etag + " of " + key + " is not the file's MD5 " + want).statusCode(500).build();
        }
        return want;
    }

    private String multipart(String key, Path file, Checksums.Digests d, String contentType) throws IOException {
        String uploadId = s3.createMultipartUpload(b -> b.bucket(bucket).key(key).contentType(contentType)
                .metadata(Map.of(SHA256_META, d.sha256Hex()))).uploadId();
        try {
            List<CompletedPart> parts = new ArrayList<>();
            MessageDigest ofParts = Checksums.digest("MD5");
            byte[] buf = new byte[(int) PART_SIZE];
            try (InputStream in = Files.newInputStream(file)) {
                for (int n = 1; ; n++) {
                    int len = in.readNBytes(buf, 0, buf.length);
                    if (len == 0) break;
                    MessageDigest md5 = Checksums.digest("MD5");
                    md5.update(buf, 0, len);
                    byte[] partMd5 = md5.digest();
                    ofParts.update(partMd5);
                    int number = n;
                    String etag = s3.uploadPart(b -> b.bucket(bucket).key(key).uploadId(uploadId).partNumber(number).contentLength((long) len)
                            .contentMD5(Base64.getEncoder().encodeToString(partMd5)), RequestBody.fromBytes(java.util.Arrays.copyOf(buf, len))).eTag();
                    parts.add(CompletedPart.builder().partNumber(number).eTag(etag).build());
                }
            }
            String etag = s3.completeMultipartUpload(b -> b.bucket(bucket).key(key).uploadId(uploadId)
                    .multipartUpload(m -> m.parts(parts))).eTag();
            String want = HexFormat.of().formatHex(ofParts.digest()) + "-" + parts.size();
            String got = etag == null ? "" : etag.replace("\"", "");
            if (got.matches("[0-9a-f]{32}-\\d+") && !got.equals(want)) {
                throw S3Exception.builder().message("ETag " + got + " of " + key + " is not the MD5 of its parts' MD5s " + want).statusCode(500).build();
            }
            return want;
        } catch (RuntimeException | IOException e) {
            try {
                s3.abortMultipartUpload(b -> b.bucket(bucket).key(key).uploadId(uploadId));
            } catch (SdkException abort) {
                e.addSuppressed(abort); // the bucket's lifecycle rule for incomplete uploads removes the parts
            }
            throw e;
        }
    }

    @Override
    public Optional<StoredObject> head(String key) throws StorageException {
        try {
            HeadObjectResponse h = s3.headObject(b -> b.bucket(bucket).key(key));
            return Optional.of(new StoredObject(key, h.contentLength(), h.metadata().get(SHA256_META)));
        } catch (NoSuchKeyException e) {
            return Optional.empty();
        } catch (S3Exception e) {
            if (e.statusCode() == 404) return Optional.empty();
            throw failure("look up " + key, e);
        } catch (SdkException e) {
            throw failure("look up " + key, e);
        }
    }

    @Override
    public void delete(String key) throws StorageException {
        try {
            s3.deleteObject(b -> b.bucket(bucket).key(key));
        } catch (SdkException e) {
            throw failure("delete " + key, e);
        }
    }

    @Override
    public void download(String key, Path target) throws StorageException {
        try (ResponseInputStream<GetObjectResponse> in = s3.getObject(b -> b.bucket(bucket).key(key))) {
            Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
        } catch (SdkException e) {
            throw failure("download " + key, e);
        } catch (IOException e) {
            throw new StorageException("cannot download " + key + ": " + e.getMessage(), true, e);
        }
    }

    @Override
    public byte[] read(String key) throws StorageException {
        try {
            return s3.getObjectAsBytes(b -> b.bucket(bucket).key(key)).asByteArray();
        } catch (SdkException e) {
            throw failure("read " + key, e);
        }
    }

    @Override
    public Ranged open(String key, String range) throws StorageException {
        try {
            ResponseInputStream<GetObjectResponse> in = s3.getObject(b -> b.bucket(bucket).key(key).range(range));
            GetObjectResponse r = in.response();
            return new Ranged(r.sdkHttpResponse().statusCode(), r.contentLength() == null ? -1 : r.contentLength(), r.contentRange(),
                    r.contentType(), in);
        } catch (SdkException e) {
            throw failure("read " + key, e);
        }
    }

    @Override
    public Optional<URI> presign(String key, Duration lifetime, String contentType) {
        return Optional.of(URI.create(presigner.presignGetObject(p -> p.signatureDuration(lifetime)
                .getObjectRequest(g -> g.bucket(bucket).key(key).responseContentType(contentType))).url().toString()));
    }

    @Override
    public void ping() throws StorageException {
        try {
            s3.headBucket(b -> b.bucket(bucket));
        } catch (SdkException e) {
            throw failure("reach bucket " + bucket, e);
        }
    }

    /** Server errors, throttling and unreachable stores are worth retrying; a refusal (403, 404) is not. */
    private static StorageException failure(String what, SdkException e) {
        if (e instanceof S3Exception s) {
            int st = s.statusCode();
            boolean retry = st >= 500 || st == 429 || st == 408 || st == 0;
            String code = s.awsErrorDetails() == null ? null : s.awsErrorDetails().errorCode();
            return new StorageException("cannot " + what + ": HTTP " + st + (code == null ? "" : " " + code), retry, st, e);
        }
        return new StorageException("cannot " + what + ": " + e.getMessage(), true, e);
    }

    @Override
    public void close() {
        presigner.close();
        s3.close();
    }
}
