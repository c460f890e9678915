package live.cascade.sfu.simulcast;

/**
 * What one viewer's path carries, as the layer choice reads it. Read on the viewer's media worker, on the router's
 * tick (not per packet); an implementation must answer without allocating or blocking.
 */
@FunctionalInterface
public interface BandwidthEstimate {
    /** Unknown: the choice takes the top layer the viewer's cap allows. */
    long UNKNOWN = -1;

    /** The estimate in bits per second, or {@link #UNKNOWN}. */
    long bitsPerSecond();
}
