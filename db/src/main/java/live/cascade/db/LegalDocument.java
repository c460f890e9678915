package live.cascade.db;

import java.time.Instant;

/** One version of the operator's Terms of Service ({@code terms}) or Privacy notice ({@code privacy}). */
public record LegalDocument(String kind, int version, String body, Instant publishedAt) {
}
