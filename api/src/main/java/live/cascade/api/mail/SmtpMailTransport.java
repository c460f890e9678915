package live.cascade.api.mail;

import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.SendFailedException;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.AddressException;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import live.cascade.api.config.MailConfig;
import live.cascade.db.QueuedMail;
import org.eclipse.angus.mail.smtp.SMTPAddressFailedException;

import java.time.Clock;
import java.util.Date;
import java.util.Properties;

/** SMTP through Angus Mail: STARTTLS (required), implicit TLS or plain, with optional authentication. */
final class SmtpMailTransport implements MailTransport {
    private static final String TIMEOUT_MS = "15000";

    private final MailConfig config;
    private final Session session;
    private final InternetAddress from;
    private final Clock clock;

    SmtpMailTransport(MailConfig config, Clock clock) {
        this.config = config;
        this.clock = clock;
        Properties p = new Properties();
        p.put("mail.smtp.host", config.smtpHost().orElseThrow());
        p.put("mail.smtp.port", Integer.toString(config.smtpPort()));
        // A hung server must not hold the sender thread: every phase has a limit.
        p.put("mail.smtp.connectiontimeout", TIMEOUT_MS);
        p.put("mail.smtp.timeout", TIMEOUT_MS);
        p.put("mail.smtp.writetimeout", TIMEOUT_MS);
        switch (config.tls()) {
            case STARTTLS -> {
                p.put("mail.smtp.starttls.enable", "true");
                // Never fall back to plain text when the server does not offer STARTTLS (a downgrade).
                p.put("mail.smtp.starttls.required", "true");
                p.put("mail.smtp.ssl.checkserveridentity", "true");
            }
            case TLS -> {
                p.put("mail.smtp.ssl.enable", "true");
                p.put("mail.smtp.ssl.checkserveridentity", "true");
            }
            case NONE -> {
            }
        }
        if (config.user().isPresent()) p.put("mail.smtp.auth", "true");
        this.session = Session.getInstance(p);
        try {
            this.from = new InternetAddress(config.from().orElseThrow(), true);
        } catch (AddressException e) {
            throw new IllegalArgumentException("--mail-from is not an address: " + e.getMessage(), e);
        }
    }

    @Override
    public SendResult send(QueuedMail mail) {
        MimeMessage message;
        try {
            message = message(mail);
        } catch (AddressException e) {
            return new SendResult.Rejected("recipient address cannot be used: " + e.getMessage());
        } catch (MessagingException e) {
            return new SendResult.Rejected("message cannot be built: " + e.getMessage());
        }
        try {
            if (config.user().isPresent()) Transport.send(message, config.user().get(), config.password().orElse(""));
            else Transport.send(message);
            return new SendResult.Sent();
        } catch (SendFailedException e) {
            int code = returnCode(e);
            String reason = "server refused the recipient" + (code > 0 ? " (" + code + ")" : "") + ": " + oneLine(e);
            return code >= 500 ? new SendResult.Rejected(reason) : new SendResult.Retry(reason);
        } catch (MessagingException e) {
            return new SendResult.Retry(config.smtpHost().orElse("") + ":" + config.smtpPort() + ": " + oneLine(e));
        } catch (RuntimeException e) {
            return new SendResult.Retry(e.toString());
        }
    }

    private MimeMessage message(QueuedMail mail) throws MessagingException {
        MimeMessage m = new MimeMessage(session);
        m.setFrom(from);
        m.setRecipients(Message.RecipientType.TO, new InternetAddress[]{new InternetAddress(mail.recipient(), true)});
        m.setSubject(mail.subject(), "UTF-8");
        m.setText(mail.body(), "UTF-8");
        m.setSentDate(Date.from(clock.instant()));
        if (mail.unsubscribeUrl() != null) {
            // RFC 8058: mail clients offer a one-click unsubscribe that POSTs "List-Unsubscribe=One-Click" there.
            m.setHeader("List-Unsubscribe", "<" + mail.unsubscribeUrl() + ">");
            m.setHeader("List-Unsubscribe-Post", "List-Unsubscribe=One-Click");
        }
        m.setHeader("Auto-Submitted", "auto-generated");
        m.saveChanges();
        return m;
    }

    private static int returnCode(MessagingException e) {
        Exception next = e;
        while (next != null) {
            if (next instanceof SMTPAddressFailedException f) return f.getReturnCode();
            next = next instanceof MessagingException me ? me.getNextException() : null;
        }
        return -1;
    }

    private static String oneLine(Throwable t) {
        Throwable c = t;
        while (c.getCause() != null && c.getCause() != c) c = c.getCause();
        String m = c.getMessage() == null ? c.toString() : c.getMessage();
        return m.replaceAll("\\s+", " ").strip();
    }
}
