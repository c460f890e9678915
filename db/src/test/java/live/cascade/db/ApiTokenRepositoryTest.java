package live.cascade.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;

class ApiTokenRepositoryTest extends RepositoryTestBase {

    @Test
    void aCreatedTokenIsFoundByItsHashWithItsAccountUntilRevoked() {
        User u = anyUser();
        ApiToken t = db.apiTokens().create(u.id(), "obs", "hash-1", List.of("read", "stream"));
        assertThat(t.scopes()).containsExactly("read", "stream");
        assertThat(t.lastUsedAt()).isEmpty();
        assertThat(t.revoked()).isFalse();

        ApiTokenRepository.Authenticated found = db.apiTokens().findValid("hash-1").orElseThrow();
        assertThat(found.token()).isEqualTo(t);
        assertThat(found.user()).isEqualTo(u);
        assertThat(db.apiTokens().findValid("other")).isEmpty();

        assertThat(db.apiTokens().revoke(u.id(), t.id())).isTrue();
        assertThat(db.apiTokens().revoke(u.id(), t.id())).isFalse();
        assertThat(db.apiTokens().findValid("hash-1")).isEmpty();
        assertThat(db.apiTokens().listForUser(u.id())).singleElement().satisfies(r -> assertThat(r.revoked()).isTrue());
    }

    @Test
    void onlyTheOwnerRevokesAndTheListIsPerAccountNewestFirst() {
        User a = anyUser();
        User b = anyUser();
        ApiToken a1 = db.apiTokens().create(a.id(), "one", "a1", List.of("read"));
        ApiToken a2 = db.apiTokens().create(a.id(), "two", "a2", List.of("moderate"));
        db.apiTokens().create(b.id(), "b", "b1", List.of("read"));

        assertThat(db.apiTokens().revoke(b.id(), a1.id())).isFalse();
        assertThat(db.apiTokens().listForUser(a.id())).extracting(ApiToken::id).containsExactly(a2.id(), a1.id());
    }

    @Test
    void lastUseIsRecorded() {
        User u = anyUser();
        ApiToken t = db.apiTokens().create(u.id(), "cron", "h", List.of("read"));
        Instant used = now().plusSeconds(5);
        db.apiTokens().touch(t.id(), used);
        assertThat(db.apiTokens().findValid("h").orElseThrow().token().lastUsedAt()).contains(used);
    }

    @Test
    void aHashIsUniqueAndTheAccountMustExist() {
        User u = anyUser();
        db.apiTokens().create(u.id(), "x", "same", List.of("read"));
        assertThatThrownBy(() -> db.apiTokens().create(u.id(), "y", "same", List.of("read"))).isInstanceOf(DuplicateException.class);
        assertThatThrownBy(() -> db.apiTokens().create(999_999L, "z", "new", List.of("read"))).isInstanceOf(ReferenceNotFoundException.class);
    }
}
