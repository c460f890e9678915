/**
 * The media engine facade, and all that signaling sees of the media plane: {@link live.cascade.sfu.engine.MediaEngine}
 * (configuration, start-up of the certificate and workers, counters, host-candidate address selection) and its
 * {@link live.cascade.sfu.engine.MediaLane}s (one per worker: run work on its thread, open transports there, host a
 * ticking {@link live.cascade.sfu.engine.HostedRouter}).
 */
package live.cascade.sfu.engine;
