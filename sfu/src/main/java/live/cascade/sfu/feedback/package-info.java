/**
 * Congestion feedback to a publisher, computed from what arrives: the transport-cc feedback builder, the REMB
 * estimator for publishers without transport-cc, and the arrival-delay window that shows how long packets waited.
 */
package live.cascade.sfu.feedback;
