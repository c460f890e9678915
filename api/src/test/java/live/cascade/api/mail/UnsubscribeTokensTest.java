package live.cascade.api.mail;

import org.junit.jupiter.api.Test;

import java.net.URI;

import static org.assertj.core.api.Assertions.assertThat;

class UnsubscribeTokensTest {
    private final UnsubscribeTokens tokens = new UnsubscribeTokens("a node secret of at least thirty-two characters");

    private static String q(URI u, String name) {
        for (String part : u.getQuery().split("&")) if (part.startsWith(name + "=")) return part.substring(name.length() + 1);
        return null;
    }

    @Test
    void aSignedLinkNamesItsAccountAndChannelAndNothingElse() {
        URI link = URI.create("http://x" + tokens.path(new UnsubscribeTokens.Target(42, 7)));
        assertThat(tokens.verify(q(link, "u"), q(link, "c"), q(link, "s"))).contains(new UnsubscribeTokens.Target(42, 7));
        assertThat(tokens.verify("43", q(link, "c"), q(link, "s"))).as("another account").isEmpty();
        assertThat(tokens.verify(q(link, "u"), "0", q(link, "s"))).as("widened to every channel").isEmpty();
        assertThat(tokens.verify(q(link, "u"), q(link, "c"), "AAAA")).isEmpty();
        assertThat(tokens.verify(q(link, "u"), q(link, "c"), null)).isEmpty();
        assertThat(tokens.verify("x", "y", "%%%")).isEmpty();
    }

    @Test
    void anotherDeploymentsSecretSignsOtherLinks() {
        UnsubscribeTokens other = new UnsubscribeTokens("another secret of at least thirty-two characters!!");
        URI link = URI.create("http://x" + other.path(new UnsubscribeTokens.Target(42, 0)));
        assertThat(tokens.verify(q(link, "u"), q(link, "c"), q(link, "s"))).isEmpty();
        assertThat(other.verify(q(link, "u"), q(link, "c"), q(link, "s")).orElseThrow().allChannels()).isTrue();
    }
}
