package live.cascade.api.config;

/** A setting with a value the node cannot use; the message is one line naming the setting and what it accepts. */
public final class ConfigException extends RuntimeException {
    public ConfigException(String message) {
        super(message);
    }
}
