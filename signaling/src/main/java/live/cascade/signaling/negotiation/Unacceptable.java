package live.cascade.signaling.negotiation;

/**
 * Carries a {@link NegotiationFailure} out of the checks nested inside a negotiator. Never leaves this package: each
 * negotiator turns it back into the failure value it returns.
 */
final class Unacceptable extends Exception {
    private static final long serialVersionUID = 1L;

    private final transient NegotiationFailure failure;

    Unacceptable(NegotiationFailure.Reason reason, String detail) {
        super(detail, null, false, false);
        this.failure = new NegotiationFailure(reason, detail);
    }

    NegotiationFailure failure() {
        return failure;
    }
}
