/**
 * The parameter records that drive the media plane. {@code signaling} turns SDP into these and back; the media plane
 * never sees SDP. They are plain values: validated on construction, immutable, comparable.
 */
package live.cascade.sfu.params;
