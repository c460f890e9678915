package live.cascade.db;

import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLTransientConnectionException;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;

import org.jooq.exception.DataAccessException;
import org.postgresql.util.PSQLException;
import org.postgresql.util.ServerErrorMessage;

/**
 * Turns jOOQ/JDBC failures into this module's exceptions, so no jOOQ type crosses the module boundary and callers can
 * tell "username taken" from "database down".
 */
final class SqlErrors {

    /** Constraint names from the migrations mapped to the record field that carries the offending value. */
    private static final Map<String, String> FIELDS = Map.ofEntries(
            Map.entry("uq_users_username", "username"),
            Map.entry("uq_appeals_enforcement", "enforcementId"),
            Map.entry("pk_legal_documents", "version"),
            Map.entry("uq_users_email", "email"),
            Map.entry("uq_channels_slug", "slug"),
            Map.entry("uq_channels_stream_key", "streamKey"),
            Map.entry("uq_login_sessions_token", "tokenHash"),
            Map.entry("uq_top_friend", "topFriendIds"),
            Map.entry("uq_stream_sessions_live", "channelId"),
            Map.entry("fk_login_sessions_user", "userId"),
            Map.entry("uq_api_tokens_token", "tokenHash"),
            Map.entry("fk_api_tokens_user", "userId"),
            Map.entry("fk_webhooks_owner", "ownerId"),
            Map.entry("fk_webhooks_channel", "channelId"),
            Map.entry("fk_webhook_deliveries_webhook", "webhookId"),
            Map.entry("fk_channels_owner", "ownerId"),
            Map.entry("fk_channel_tags_channel", "channelId"),
            Map.entry("fk_stream_sessions_channel", "channelId"),
            Map.entry("fk_viewer_sessions_channel", "channelId"),
            Map.entry("fk_viewer_sessions_stream", "streamSessionId"),
            Map.entry("uq_viewer_sessions_key", "sessionKey"),
            Map.entry("fk_follows_user", "userId"),
            Map.entry("fk_follows_channel", "channelId"),
            Map.entry("fk_profiles_user", "userId"),
            Map.entry("fk_profiles_featured_channel", "featuredChannelId"),
            Map.entry("fk_top_friends_user", "userId"),
            Map.entry("fk_top_friends_friend", "topFriendIds"),
            Map.entry("fk_donation_addresses_user", "userId"),
            Map.entry("fk_chat_messages_channel", "channelId"),
            Map.entry("fk_chat_messages_user", "userId"),
            Map.entry("fk_chat_messages_deleted_by", "deletedBy"),
            Map.entry("fk_channel_moderators_channel", "channelId"),
            Map.entry("fk_channel_moderators_user", "userId"),
            Map.entry("fk_channel_moderators_appointed_by", "appointedBy"),
            Map.entry("fk_channel_bans_channel", "channelId"),
            Map.entry("fk_channel_bans_user", "userId"),
            Map.entry("fk_channel_bans_banned_by", "bannedBy"),
            Map.entry("fk_chat_settings_channel", "channelId"),
            Map.entry("fk_chat_settings_updated_by", "updatedBy"),
            Map.entry("fk_chat_blocked_terms_channel", "channelId"),
            Map.entry("fk_moderation_actions_channel", "channelId"),
            Map.entry("fk_moderation_actions_actor", "actorId"),
            Map.entry("fk_moderation_actions_target", "targetUserId"),
            Map.entry("fk_chat_reports_channel", "channelId"),
            Map.entry("fk_chat_reports_reporter", "reporterId"),
            Map.entry("fk_chat_reports_target", "targetUserId"),
            Map.entry("fk_chat_reports_message", "messageId"),
            Map.entry("fk_chat_reports_resolved_by", "resolvedBy"),
            Map.entry("fk_recordings_channel", "channelId"),
            Map.entry("fk_recordings_stream", "streamSessionId"),
            Map.entry("fk_recordings_parent", "parentId"),
            Map.entry("fk_recordings_taken_down_by", "takenDownBy"));

    private SqlErrors() {
    }

    /** Runs one repository operation, translating database failures. Our own exceptions pass through. */
    static <T> T call(Supplier<T> operation) {
        try {
            return operation.get();
        } catch (DataAccessException e) {
            throw translate(e);
        }
    }

    static DatabaseException translate(DataAccessException e) {
        SQLException sql = e.getCause(SQLException.class);
        String state = sql != null && sql.getSQLState() != null ? sql.getSQLState() : e.sqlState();
        // 08: connection exceptions. 57P01-57P03: the server is shutting down or restarting (what a connection in use
        // hears when PostgreSQL is stopped): for the caller, as unreachable as a refused connection.
        if (sql instanceof SQLTransientConnectionException || sql instanceof SQLNonTransientConnectionException
                || (state != null && (state.startsWith("08") || state.equals("57P01") || state.equals("57P02") || state.equals("57P03")))) {
            return new DatabaseUnavailableException("database unavailable: " + e.getMessage(), e);
        }
        if (sql != null && state != null) {
            String constraint = constraintName(sql);
            switch (state) {
                case "23505" -> {
                    return new DuplicateException(fieldOf(constraint), constraint, e);
                }
                // 23503 on both; H2 says 23506 when the referenced row is missing (23503 when a child still exists).
                case "23503", "23506" -> {
                    return new ReferenceNotFoundException(fieldOf(constraint), constraint, e);
                }
                default -> {
                }
            }
        }
        return new DatabaseException("database operation failed (SQLState " + state + "): " + e.getMessage(), e);
    }

    private static String fieldOf(String constraint) {
        return constraint == null ? "unknown" : FIELDS.getOrDefault(constraint, constraint);
    }

    /**
     * PostgreSQL names the constraint in a structured field. H2 only puts it into the message text (for a unique
     * constraint as the prefix of its index name), so there we take the known name that appears first: later parts
     * of the message quote user data and the SQL, which could contain anything.
     */
    static String constraintName(SQLException sql) {
        if (sql instanceof PSQLException psql) {
            ServerErrorMessage server = psql.getServerErrorMessage();
            if (server != null && server.getConstraint() != null) {
                return server.getConstraint().toLowerCase(Locale.ROOT);
            }
        }
        String message = sql.getMessage();
        if (message == null) {
            return null;
        }
        message = message.toLowerCase(Locale.ROOT);
        String best = null;
        int bestAt = Integer.MAX_VALUE;
        for (String name : FIELDS.keySet()) {
            int at = message.indexOf(name);
            if (at >= 0 && (at < bestAt || (at == bestAt && name.length() > best.length()))) {
                best = name;
                bestAt = at;
            }
        }
        return best;
    }
}
