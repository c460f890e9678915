package live.cascade.signaling.session;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SessionAdmissionTest {
    private final SessionAdmission admission = new SessionAdmission(AdmissionLimits.split(8, 2, 2, 3));

    @Test
    void publishersAndViewersEachHaveTheirOwnShare() {
        SessionAdmission.Ticket p1 = admit(admission.admitPublisher());
        admit(admission.admitPublisher());
        assertThat(admission.admitPublisher()).isEqualTo(new SessionAdmission.Denied(Refusal.Reason.PUBLISHER_SHARE_FULL));
        for (int i = 0; i < 6; i++) admit(admission.admitViewer("10.0.0." + i, i)).secured();
        assertThat(admission.admitViewer("10.0.0.9", 9)).isEqualTo(new SessionAdmission.Denied(Refusal.Reason.VIEWER_SHARE_FULL));

        p1.release();
        p1.release();
        assertThat(admission.publishers()).as("a second release frees nothing more").isEqualTo(1);
        assertThat(admission.admitPublisher()).isInstanceOf(SessionAdmission.Ticket.class);
    }

    @Test
    void onlyViewersStillConnectingCountAgainstTheirAddressAndChannel() {
        SessionAdmission.Ticket a = admit(admission.admitViewer("192.0.2.1", 1));
        admit(admission.admitViewer("192.0.2.1", 1));
        assertThat(admission.admitViewer("192.0.2.1", 2)).isEqualTo(new SessionAdmission.Denied(Refusal.Reason.PENDING_VIEWERS_PER_ADDRESS));

        a.secured();
        assertThat(admission.pendingFrom("192.0.2.1")).isEqualTo(1);
        admit(admission.admitViewer("192.0.2.1", 1));
        admit(admission.admitViewer("192.0.2.3", 1));
        assertThat(admission.admitViewer("192.0.2.2", 1))
                .as("three still connecting on channel 1").isEqualTo(new SessionAdmission.Denied(Refusal.Reason.PENDING_VIEWERS_PER_CHANNEL));
        assertThat(admission.admitViewer("192.0.2.2", 2)).isInstanceOf(SessionAdmission.Ticket.class);

        a.release();
        assertThat(admission.viewers()).isEqualTo(4);
        assertThat(admission.pendingFrom("192.0.2.1")).as("a secured session's release leaves the pending count alone").isEqualTo(2);
    }

    private static SessionAdmission.Ticket admit(SessionAdmission.Decision d) {
        assertThat(d).isInstanceOf(SessionAdmission.Ticket.class);
        return (SessionAdmission.Ticket) d;
    }
}
