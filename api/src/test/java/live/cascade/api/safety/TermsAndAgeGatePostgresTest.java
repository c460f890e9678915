package live.cascade.api.safety;

import live.cascade.api.SharedServices;
import live.cascade.api.TestNode;
import org.junit.jupiter.api.Tag;

/** {@link TermsAndAgeGateContract} on PostgreSQL (the integration lane), in a schema of its own. */
@Tag("integration")
class TermsAndAgeGatePostgresTest extends TermsAndAgeGateContract {
    private SharedServices.PgSchema schema;

    @Override
    TestNode newNode() {
        SharedServices.requirePostgres();
        schema = SharedServices.PgSchema.create();
        return new TestNode("--db-url", schema.jdbcUrl(), "--db-user", SharedServices.PG_USER, "--db-password", SharedServices.PG_PASSWORD);
    }

    @Override
    void closeDatabase() {
        if (schema != null) schema.close();
    }
}
