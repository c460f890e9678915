package live.cascade.whipwhep;

import java.util.Optional;

/** Finds channels for WHIP (by stream key) and WHEP (by slug); the api module implements it over the database. */
public interface ChannelDirectory {
    Optional<PublishTarget> byStreamKey(String streamKey);

    Optional<PublishTarget> bySlug(String slug);
}
