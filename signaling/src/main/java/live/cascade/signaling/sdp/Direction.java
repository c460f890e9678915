package live.cascade.signaling.sdp;

import java.util.Optional;

/** Media direction attributes (RFC 8866 §6.7), from the point of view of the side that wrote them. */
public enum Direction {
    SENDRECV("sendrecv"), SENDONLY("sendonly"), RECVONLY("recvonly"), INACTIVE("inactive");

    private final String attributeName;

    Direction(String attributeName) {
        this.attributeName = attributeName;
    }

    public String attributeName() {
        return attributeName;
    }

    public Attribute toAttribute() {
        return Attribute.flag(attributeName);
    }

    public boolean sends() {
        return this == SENDRECV || this == SENDONLY;
    }

    public boolean receives() {
        return this == SENDRECV || this == RECVONLY;
    }

    /** What the other side writes for the same stream. */
    public Direction reverse() {
        return switch (this) {
            case SENDONLY -> RECVONLY;
            case RECVONLY -> SENDONLY;
            default -> this;
        };
    }

    public static Optional<Direction> fromAttributeName(String name) {
        for (Direction d : values()) if (d.attributeName.equals(name)) return Optional.of(d);
        return Optional.empty();
    }

    @Override
    public String toString() {
        return attributeName;
    }
}
