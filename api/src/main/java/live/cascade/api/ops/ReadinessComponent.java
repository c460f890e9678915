package live.cascade.api.ops;

/**
 * One part of a node that {@code /readyz} reports, registered by the feature that owns it. A feature adds a component
 * here, never a new endpoint or a new document shape.
 */
public interface ReadinessComponent {
    /** The key of the component's object in the document, e.g. {@code "database"}. */
    String name();

    /** Must answer quickly (it runs on every probe) and must not throw: a failure is a {@link Readiness.Down}. */
    Readiness check();

    /**
     * Whether the node can take no new sessions while this component is down. Only such a component turns the whole
     * document into 503; any other one that is not ok makes the node "degraded" and keeps 200, so a load balancer never
     * ejects a node that still serves.
     */
    default boolean neededForNewSessions() {
        return false;
    }
}
