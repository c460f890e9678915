package live.cascade.sfu.rtcp;

/** What an RTPFB/PSFB packet is, from its type and format (and, for AFB, its identifier). */
public enum FeedbackKind { NACK, TRANSPORT_CC, PLI, FIR, REMB, OTHER }
