package live.cascade.api.mail;

/** What became of one attempt to hand a mail to the SMTP server. */
public sealed interface SendResult {
    /** The server took it. */
    record Sent() implements SendResult {
    }

    /** Not taken this time (server unreachable, authentication, a 4xx): try again later. */
    record Retry(String reason) implements SendResult {
    }

    /** Refused for good (a 5xx for the recipient, an address that cannot be parsed): never try again. */
    record Rejected(String reason) implements SendResult {
    }
}
