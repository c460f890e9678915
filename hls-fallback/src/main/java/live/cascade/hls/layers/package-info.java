/**
 * HLS renditions made from a simulcast publisher's layers without re-encoding ({@code --hls-simulcast copy}): placing
 * each layer's frames on the tap's timeline ({@link live.cascade.hls.layers.LayerClock}), putting the layers' frames of
 * one captured picture together ({@link live.cascade.hls.layers.LayerAligner}), cutting every layer's segment at the
 * same picture ({@link live.cascade.hls.layers.LayerCadence}) and measuring how well the publisher keys its layers in
 * step ({@link live.cascade.hls.layers.KeyframeAlignment}). Plain logic, no FFmpeg: the tap's
 * {@code LayerRenditions} wires it to the segmenters.
 */
package live.cascade.hls.layers;
