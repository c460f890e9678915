/**
 * The Redis (Redisson) forms of the cluster seams: chat bus, presence, rate limiter and node commands, over one lazily
 * made connection that is also the {@code redis} component of {@code /readyz}. The only package that imports Redisson.
 */
package live.cascade.api.redis;
