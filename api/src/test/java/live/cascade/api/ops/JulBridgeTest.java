package live.cascade.api.ops;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import live.cascade.api.TestNode;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import org.slf4j.bridge.SLF4JBridgeHandler;

import java.util.Arrays;
import java.util.logging.Handler;
import java.util.logging.LogManager;

import static org.assertj.core.api.Assertions.assertThat;

/** What Jitsi's libraries log through java.util.logging reaches Logback, once, as soon as a node has started. */
class JulBridgeTest {
    static final String NAME = "org.jitsi.example.JulBridgeTest";

    @Test
    void aJavaUtilLoggingRecordReachesLogbackOnceAfterANodeStarts() throws Exception {
        // JUL as a fresh JVM has it (its own ConsoleHandler on the root logger), whatever ran before in this JVM.
        LogManager.getLogManager().readConfiguration();
        ch.qos.logback.classic.Logger target = (ch.qos.logback.classic.Logger) LoggerFactory.getLogger(NAME);
        ListAppender<ILoggingEvent> events = new ListAppender<>();
        events.start();
        target.addAppender(events);
        try (TestNode node = new TestNode()) {
            java.util.logging.Logger jul = java.util.logging.Logger.getLogger(NAME);
            jul.warning("ICE agent failed after 3 candidate pairs");
            jul.fine("below the node's INFO level: never printed");
        } finally {
            target.detachAppender(events);
        }
        assertThat(events.list).hasSize(1);
        ILoggingEvent e = events.list.getFirst();
        assertThat(e.getLevel()).isEqualTo(Level.WARN);
        assertThat(e.getLoggerName()).isEqualTo(NAME);
        assertThat(e.getFormattedMessage()).isEqualTo("ICE agent failed after 3 candidate pairs");

        Handler[] handlers = java.util.logging.Logger.getLogger("").getHandlers();
        assertThat(handlers).as("JUL's own console output is gone: one line per event, in Logback's format")
                .hasSize(1).allMatch(h -> h instanceof SLF4JBridgeHandler, Arrays.toString(handlers));
    }
}
