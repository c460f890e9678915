package live.cascade.sfu.ice;

/** What an authenticated connectivity check did to the ICE-lite state (it is always answered). */
public enum CheckOutcome {
    /** Valid, but from a pair that is neither selected nor being nominated. */
    VALIDATED,
    /** From the selected pair: consent refreshed, nothing else changed. */
    CONSENT_REFRESHED,
    /** Nominated a pair: the selected remote address is new or changed. */
    SELECTED,
    /** First nomination under the credentials of a pending ICE restart: the old credentials are retired. */
    RESTART_COMPLETED
}
