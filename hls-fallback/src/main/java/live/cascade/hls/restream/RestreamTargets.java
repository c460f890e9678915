package live.cascade.hls.restream;

import java.util.List;

/** Where a channel's broadcasts are also sent; read once per broadcast on its tap's thread (may block briefly). */
@FunctionalInterface
public interface RestreamTargets {
    List<RestreamDestination> forChannel(long channelId);

    RestreamTargets NONE = channelId -> List.of();
}
