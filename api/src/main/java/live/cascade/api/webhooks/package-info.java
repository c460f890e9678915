/**
 * Webhooks: subscriptions of a channel's owner (one channel) or an administrator (every channel), the events the node
 * raises (stream.started, stream.ended, viewer.milestone, report.created), and their signed, retried, durable delivery.
 */
package live.cascade.api.webhooks;
