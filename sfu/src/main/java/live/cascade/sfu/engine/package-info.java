/**
 * The media engine facade: configuration, start-up (certificate, workers), transport creation, the channel-to-worker
 * mapping, counters, and host-candidate address selection.
 */
package live.cascade.sfu.engine;
