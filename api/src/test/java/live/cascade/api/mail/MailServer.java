package live.cascade.api.mail;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import jakarta.mail.Address;
import jakarta.mail.MessagingException;
import jakarta.mail.internet.MimeMessage;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A real SMTP server (GreenMail) on a fixed free port, which can be stopped and started again to simulate an outage. */
public final class MailServer implements AutoCloseable {
    public static final Duration WAIT = Duration.ofSeconds(20);

    public final int port;
    private GreenMail server;

    public MailServer() {
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public MailServer start() {
        server = new GreenMail(new ServerSetup(port, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
        server.start();
        return this;
    }

    public void stop() {
        if (server != null) server.stop();
        server = null;
    }

    /** Every mail received since this server (re)started, addressed to {@code recipient}. */
    public List<MimeMessage> to(String recipient) {
        List<MimeMessage> out = new ArrayList<>();
        if (server == null) return out;
        for (MimeMessage m : server.getReceivedMessages()) {
            try {
                Address[] rcpt = m.getAllRecipients();
                if (rcpt != null && Arrays.stream(rcpt).anyMatch(a -> a.toString().equalsIgnoreCase(recipient))) out.add(m);
            } catch (MessagingException e) {
                throw new IllegalStateException(e);
            }
        }
        return out;
    }

    /** Waits for the {@code n}th mail to {@code recipient} and returns it. */
    public MimeMessage awaitMail(String recipient, int n) {
        await("mail " + n + " to " + recipient, () -> to(recipient).size() >= n);
        return to(recipient).get(n - 1);
    }

    public static String body(MimeMessage m) {
        try {
            return (String) m.getContent();
        } catch (IOException | MessagingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The first URL in the mail's text that matches {@code pattern} (a regular expression for the whole URL). */
    public static String link(MimeMessage m, String pattern) {
        Matcher matcher = Pattern.compile(pattern).matcher(body(m));
        if (!matcher.find()) throw new AssertionError("no link matching " + pattern + " in:\n" + body(m));
        return matcher.group();
    }

    public static void await(String what, BooleanSupplier done) {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!done.getAsBoolean()) {
            if (System.nanoTime() > deadline) throw new AssertionError("timed out waiting for " + what);
            try {
                Thread.sleep(25);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }

    @Override
    public void close() {
        stop();
    }
}
