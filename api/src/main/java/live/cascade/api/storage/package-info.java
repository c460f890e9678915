/**
 * Where recordings, clips and posters are kept once written: the {@link live.cascade.api.storage.ObjectStore} seam
 * (local disk, or an S3-compatible bucket through the AWS SDK v2), the key layout, the on-disk upload queue that moves
 * finished recordings to the bucket without ever holding up a broadcast, and the migration of a local library.
 */
package live.cascade.api.storage;
