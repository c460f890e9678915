package live.cascade.db;

/** The trust-and-safety repositories, kept together so {@link Database} grows by one accessor. */
public record TrustAndSafety(PlatformReportRepository reports, AppealRepository appeals, DmcaRepository dmca,
                             LegalRepository legal) {
}
