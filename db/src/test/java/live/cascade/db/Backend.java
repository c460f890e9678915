package live.cascade.db;

/** The databases every repository test runs against. */
enum Backend {
    H2, POSTGRES
}
