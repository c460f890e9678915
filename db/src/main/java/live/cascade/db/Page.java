package live.cascade.db;

import java.util.List;
import java.util.Objects;

/**
 * One page of a listing.
 *
 * @param items the page, in listing order
 * @param next  opaque cursor for the following page, or null when this is the last page
 */
public record Page<T>(List<T> items, String next) {
    public Page {
        items = List.copyOf(Objects.requireNonNull(items, "items"));
    }

    public boolean hasNext() {
        return next != null;
    }
}
