package live.cascade.hls;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import live.cascade.hls.media.FfmpegException;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class FailureLogTest {
    @Test
    void eachKindOfFfmpegErrorIsLoggedOnceWithTheChannelAndEveryOneIsCounted() {
        Logger logger = (Logger) LoggerFactory.getLogger("live.cascade.hls.tap");
        ListAppender<ILoggingEvent> logged = new ListAppender<>();
        logged.start();
        logger.addAppender(logged);
        Level level = logger.getLevel();
        logger.setLevel(Level.INFO); // the end-of-broadcast summary is at INFO
        try {
            TapMetrics metrics = new TapMetrics();
            FailureLog log = new FailureLog("mychannel", metrics);
            for (int i = 0; i < 30; i++) log.failed("ladder encoding", new FfmpegException("decode", -1094995529));
            log.failed("thumbnail", new FfmpegException("jpeg", -22));
            log.summary();

            List<ILoggingEvent> warnings = logged.list.stream().filter(e -> e.getLevel() == Level.WARN).toList();
            assertThat(warnings).hasSize(2);
            assertThat(warnings.get(0).getFormattedMessage()).contains("channel mychannel").contains("ladder encoding");
            assertThat(warnings.get(1).getFormattedMessage()).contains("channel mychannel").contains("thumbnail");
            assertThat(logged.list.stream().map(ILoggingEvent::getFormattedMessage))
                    .anySatisfy(m -> assertThat(m).contains("channel mychannel").contains("ladder encoding failed 30 times"));
            assertThat(metrics.snapshot().get("ffmpeg_errors")).isEqualTo(31);
        } finally {
            logger.detachAppender(logged);
            logger.setLevel(level);
        }
    }
}
