/**
 * Simulcast: the layers of one publisher m-section ranked by what is measured ({@link live.cascade.sfu.simulcast.LayerGroup}),
 * and the per-viewer choice among them ({@link live.cascade.sfu.simulcast.LayerSelector}) from a
 * {@link live.cascade.sfu.simulcast.BandwidthEstimate}. All state is owned by the router's media worker.
 */
package live.cascade.sfu.simulcast;
