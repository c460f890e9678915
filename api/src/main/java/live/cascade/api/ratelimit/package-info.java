/**
 * The rate-limiter seam (fixed windows per key) and its in-process form; the Redis form lives in {@code redis}.
 */
package live.cascade.api.ratelimit;
