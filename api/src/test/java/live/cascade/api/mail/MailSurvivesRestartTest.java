package live.cascade.api.mail;

import jakarta.mail.internet.MimeMessage;
import live.cascade.api.TestNode;
import live.cascade.api.TestNode.Account;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** Mail queued while the SMTP server is away is sent by the next node on the same database, after a restart. */
@Tag("integration")
class MailSurvivesRestartTest {

    @Test
    void mailQueuedBeforeARestartIsSentAfterIt(@TempDir Path dir) throws Exception {
        String db = "jdbc:h2:file:" + dir.resolve("cascade");
        try (MailServer smtp = new MailServer()) {
            String[] args = {"--db-url", db, "--smtp-host", "127.0.0.1", "--smtp-port", Integer.toString(smtp.port),
                    "--smtp-tls", "none", "--mail-from", "noreply@example.org", "--mail-retry-max-backoff", "1s",
                    "--secret", "a shared node secret of at least 32 characters"};
            Account a;
            try (TestNode first = new TestNode(args)) {
                a = first.signup("restart_a");
                MailServer.await("the first attempt failed", () -> first.get("/readyz", null).json().at("/mail/status").asText().equals("degraded"));
                assertThat(first.server.database().mailOutbox().pending()).isEqualTo(1);
            }
            smtp.start();
            try (TestNode second = new TestNode(args)) {
                MimeMessage mail = smtp.awaitMail("restart_a@example.org", 1);
                URI link = URI.create(MailServer.link(mail, "http://\\S+/api/auth/verify-email\\?token=\\S+"));
                // The link names the first node's port; the token is good on any node of the deployment.
                assertThat(second.get(link.getRawPath() + "?" + link.getRawQuery(), null).header("Location")).isEqualTo("/?emailVerified=1");
                assertThat(second.server.database().users().findById(a.id()).orElseThrow().emailVerified()).isTrue();
                assertThat(smtp.to("restart_a@example.org")).hasSize(1);
            }
        }
    }
}
