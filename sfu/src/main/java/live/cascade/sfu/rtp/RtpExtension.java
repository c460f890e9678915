package live.cascade.sfu.rtp;

/** The header extensions the media plane understands (see {@link live.cascade.sfu.params.HeaderExtensions}). */
public enum RtpExtension { MID, ABS_SEND_TIME, TRANSPORT_CC, AUDIO_LEVEL, RID, REPAIRED_RID }
