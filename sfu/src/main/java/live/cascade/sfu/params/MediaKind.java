package live.cascade.sfu.params;

public enum MediaKind { AUDIO, VIDEO }
