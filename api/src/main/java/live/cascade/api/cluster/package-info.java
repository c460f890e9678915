/**
 * The node-command seam (stop, revoke, end a user's broadcasts, delivered to every node) and its in-process form;
 * the Redis form lives in {@code redis}, and the choice between them is made in the composition root.
 */
package live.cascade.api.cluster;
