package live.cascade.api.safety;

import live.cascade.api.TestNode;

/** {@link TermsAndAgeGateContract} on H2 (the fast lane). */
class TermsAndAgeGateTest extends TermsAndAgeGateContract {
    @Override
    TestNode newNode() {
        return new TestNode();
    }
}
