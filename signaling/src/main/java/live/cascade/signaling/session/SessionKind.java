package live.cascade.signaling.session;

/**
 * What a session is on this node: a WHIP (or local) publisher, a WHEP viewer, or a relay: another node pulling the
 * channel over WHEP to serve its own viewers. A relay is forwarded to like a viewer but is one session however many
 * viewers that node has, so it is not counted or recorded as a viewer.
 */
public enum SessionKind { PUBLISHER, VIEWER, RELAY }
