package live.cascade.api.media;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import live.cascade.api.config.OperationsConfig;
import live.cascade.api.http.Json;
import live.cascade.signaling.session.ChannelRef;
import live.cascade.whipwhep.PublishAdmission;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;

/**
 * The WHIP admission hook ({@code --whip-admission-url}): before a WHIP or RTMP publish that the node's own rules
 * allow is negotiated, the node POSTs {@code {"channel","channelId","source","clientAddress","at"}} to the operator's
 * URL and waits at most {@code --whip-admission-timeout}. A 2xx admits; 403, 409 and 429 refuse with that status and
 * the answer's {@code detail} (an RFC 9457 body, or {@code {"detail":…}}; a default sentence otherwise) and, for 429,
 * its {@code Retry-After}. Anything else (timeout, refused connection, 5xx, another status) is a failure, which
 * {@code --whip-admission-failure} turns into a 503 refusal (closed, the default) or an admission (open); failures are
 * logged once per run of failures, not per publish. Outcomes are counted in
 * {@code cascade_whip_admission_hook_total{outcome}}.
 */
final class AdmissionHook implements PublishAdmission {
    private static final Logger LOG = LoggerFactory.getLogger(AdmissionHook.class);
    private static final int MAX_DETAIL = 500;

    enum Outcome { ADMITTED, REFUSED, FAILED_OPEN, FAILED_CLOSED }

    private final URI url;
    private final Duration timeout;
    private final boolean failOpen;
    private final Clock clock;
    private final HttpClient http;
    private final Map<Outcome, LongAdder> counts = new LinkedHashMap<>();
    private final AtomicBoolean failing = new AtomicBoolean();

    AdmissionHook(URI url, Duration timeout, boolean failOpen, Clock clock) {
        this.url = url;
        this.timeout = timeout;
        this.failOpen = failOpen;
        this.clock = clock;
        this.http = HttpClient.newBuilder().connectTimeout(timeout).followRedirects(HttpClient.Redirect.NEVER).build();
        for (Outcome o : Outcome.values()) counts.put(o, new LongAdder());
    }

    /** The hook of this configuration, or {@link PublishAdmission#OPEN} when none is set. */
    static PublishAdmission of(OperationsConfig ops, Clock clock) {
        return ops.whipAdmissionUrl().<PublishAdmission>map(u -> new AdmissionHook(u, ops.whipAdmissionTimeout(), ops.whipAdmissionFailOpen(), clock))
                .orElse(PublishAdmission.OPEN);
    }

    void bind(MeterRegistry registry) {
        counts.forEach((outcome, count) -> FunctionCounter.builder("cascade_whip_admission_hook", count, LongAdder::doubleValue)
                .description("Publishes the admission hook was asked about, by outcome (failed_*: timeout, unreachable or an unexpected status)")
                .tag("outcome", outcome.name().toLowerCase(Locale.ROOT)).register(registry));
    }

    @Override
    public Optional<Refused> check(ChannelRef channel, String clientAddress, String source) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("channel", channel.slug());
        body.put("channelId", channel.id());
        body.put("source", source);
        body.put("clientAddress", clientAddress);
        body.put("at", clock.instant().toString());
        String failure;
        try {
            HttpRequest request = HttpRequest.newBuilder(url).timeout(timeout)
                    .header("Content-Type", "application/json").header("User-Agent", "CascadeLive-Admission/1")
                    .POST(HttpRequest.BodyPublishers.ofString(Json.MAPPER.writeValueAsString(body))).build();
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            int status = response.statusCode();
            if (status / 100 == 2) {
                recovered();
                counts.get(Outcome.ADMITTED).increment();
                return Optional.empty();
            }
            if (status == 403 || status == 409 || status == 429) {
                recovered();
                counts.get(Outcome.REFUSED).increment();
                long retry = status == 429 ? response.headers().firstValue("Retry-After").flatMap(AdmissionHook::seconds).orElse(30L) : 0;
                return Optional.of(new Refused(status, detail(response.body())
                        .orElse("The operator's admission check refused this publish for channel '" + channel.slug() + "'."), retry));
            }
            failure = "HTTP " + status;
        } catch (HttpTimeoutException e) {
            failure = "no answer within " + timeout.toMillis() + " ms";
        } catch (IOException e) {
            failure = e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            failure = "interrupted";
        }
        if (failing.compareAndSet(false, true)) {
            LOG.warn("the admission hook {} failed ({}); publishes are {} until it answers again", url, failure,
                    failOpen ? "admitted (--whip-admission-failure open)" : "refused with 503 (--whip-admission-failure closed)");
        }
        counts.get(failOpen ? Outcome.FAILED_OPEN : Outcome.FAILED_CLOSED).increment();
        if (failOpen) return Optional.empty();
        return Optional.of(new Refused(503, "The server cannot check whether this publish is allowed right now (its admission check is "
                + "unavailable); try again shortly.", 5));
    }

    private void recovered() {
        if (failing.compareAndSet(true, false)) LOG.info("the admission hook {} answers again", url);
    }

    /** The {@code detail} of a JSON answer, cut to a length fit for a problem document. */
    private static Optional<String> detail(String body) {
        if (body == null || body.isBlank()) return Optional.empty();
        try {
            JsonNode node = Json.MAPPER.readTree(body);
            String d = node.path("detail").asText("");
            if (d.isBlank()) return Optional.empty();
            return Optional.of(d.length() > MAX_DETAIL ? d.substring(0, MAX_DETAIL) : d);
        } catch (JsonProcessingException e) {
            return Optional.empty();
        }
    }

    private static Optional<Long> seconds(String value) {
        try {
            long s = Long.parseLong(value.strip());
            return s >= 0 ? Optional.of(Math.min(s, 3600)) : Optional.empty();
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }
}
