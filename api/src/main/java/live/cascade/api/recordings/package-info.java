/**
 * Recordings and clips: the catalog of finished broadcasts on disk, range requests for playback, clip cutting and
 * the cleaner that enforces retention.
 */
package live.cascade.api.recordings;
