package live.cascade.signaling.session;

public enum SessionKind { PUBLISHER, VIEWER }
