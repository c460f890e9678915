package live.cascade.api.mail;

import live.cascade.db.QueuedMail;

/** Hands one mail to a mail server. Must not throw: every failure is a {@link SendResult}. */
public interface MailTransport {
    SendResult send(QueuedMail mail);
}
