/**
 * This node as one of a fleet (issue 21): its heartbeat into the {@code cluster.NodeRegistry} with its load, the
 * origin claims of the channels it broadcasts ({@code cluster.ChannelPlacement}), where a channel held elsewhere is
 * watched from ({@code /api/channels/{c}/edges}, the WHEP redirect or relay), and the administrator's node list and
 * drain.
 */
package live.cascade.api.fleet;
