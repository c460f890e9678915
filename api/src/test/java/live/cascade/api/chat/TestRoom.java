package live.cascade.api.chat;

import live.cascade.api.TestNode;
import live.cascade.api.TestNode.Account;
import live.cascade.api.TestNode.Response;

import java.util.concurrent.atomic.AtomicInteger;

import static live.cascade.api.TestNode.map;
import static org.assertj.core.api.Assertions.assertThat;

/** A chat room for a test (not the server's ChatRoom): a fresh channel owned by a fresh account on {@code node}. */
record TestRoom(Account owner, String slug, long id) {
    private static final AtomicInteger SEQ = new AtomicInteger();

    /** Owner {@code <ownerPrefix><n>}, channel {@code <slugPrefix><n>}, n unique in this JVM. */
    static TestRoom create(TestNode node, String ownerPrefix, String slugPrefix) {
        int n = SEQ.incrementAndGet();
        Account owner = node.signup(ownerPrefix + n);
        String slug = slugPrefix + n;
        Response r = node.post("/api/channels", owner.token(), map("slug", slug, "title", "Chat " + n, "category", "Testing"));
        assertThat(r.status()).as(r.body()).isEqualTo(201);
        return new TestRoom(owner, slug, r.json().at("/id").asLong());
    }
}
