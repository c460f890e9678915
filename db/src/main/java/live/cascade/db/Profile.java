package live.cascade.db;

import java.util.List;
import java.util.Objects;

/**
 * A user's public profile. Nullable: bio, avatarUrl, bannerUrl, featuredChannelId.
 *
 * @param topFriendIds      user ids in display order, at most {@link #MAX_TOP_FRIENDS}, no repeats
 * @param donationAddresses in display order
 */
public record Profile(long userId, String bio, String avatarUrl, String bannerUrl, Long featuredChannelId,
                      List<Long> topFriendIds, List<DonationAddress> donationAddresses) {

    public static final int MAX_TOP_FRIENDS = 8;

    public Profile {
        topFriendIds = List.copyOf(Objects.requireNonNull(topFriendIds, "topFriendIds"));
        donationAddresses = List.copyOf(Objects.requireNonNull(donationAddresses, "donationAddresses"));
    }

    /** What a user who never saved a profile has. */
    public static Profile empty(long userId) {
        return new Profile(userId, null, null, null, null, List.of(), List.of());
    }
}
