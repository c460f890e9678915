package live.cascade.sfu.rtp;

import live.cascade.sfu.params.HeaderExtensions;

/** One side's negotiated extension ids, as lookup tables in both directions (id → kind, kind → id). */
public final class HeaderExtensionMap {
    // Declared before NONE: static initialisers run in order and NONE's construction reads it.
    private static final RtpExtension[] KINDS = RtpExtension.values();
    public static final HeaderExtensionMap NONE = of(HeaderExtensions.NONE);

    private final RtpExtension[] kindById = new RtpExtension[256];
    private final int[] idByKind = new int[KINDS.length];

    private HeaderExtensionMap() {}

    public static HeaderExtensionMap of(HeaderExtensions e) {
        HeaderExtensionMap m = new HeaderExtensionMap();
        m.put(RtpExtension.MID, e.mid());
        m.put(RtpExtension.ABS_SEND_TIME, e.absSendTime());
        m.put(RtpExtension.TRANSPORT_CC, e.transportCc());
        m.put(RtpExtension.AUDIO_LEVEL, e.audioLevel());
        m.put(RtpExtension.RID, e.rid());
        m.put(RtpExtension.REPAIRED_RID, e.repairedRid());
        return m;
    }

    private void put(RtpExtension kind, int id) {
        if (id == 0) return;
        idByKind[kind.ordinal()] = id;
        kindById[id] = kind;
    }

    /** Kind negotiated under {@code id}, or null. */
    public RtpExtension kindOf(int id) { return id < 0 || id > 255 ? null : kindById[id]; }

    /** Id negotiated for {@code kind}, 0 when none. */
    public int idOf(RtpExtension kind) { return idByKind[kind.ordinal()]; }
}
