package live.cascade.api.web;

import live.cascade.api.TestNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The app's pages and static files as HTTP: which paths serve the shell, with what headers; what stays the API's. */
class WebAppTest {
    static TestNode node;

    @BeforeAll
    static void start() {
        node = new TestNode();
    }

    @AfterAll
    static void stop() {
        if (node != null) node.close();
    }

    @Test
    void everyAppRouteServesTheShellWithItsSecurityHeaders() {
        for (String path : List.of("/", "/login", "/signup", "/studio", "/dashboard", "/c/alice", "/category/Music%20and%20Art")) {
            TestNode.Response r = node.get(path, null);
            assertThat(r.status()).as(path).isEqualTo(200);
            assertThat(r.header("Content-Type")).as(path).startsWith("text/html");
            assertThat(r.body()).as(path).contains("<script type=\"module\" src=\"/static/js/app.js\"></script>")
                    .contains("\"user\":null").doesNotContain("{{boot}}");
            String csp = r.header("Content-Security-Policy");
            assertThat(csp).as(path).contains("script-src 'self'", "style-src 'self'", "frame-ancestors 'self'", "media-src 'self' blob:");
            assertThat(r.header("X-Frame-Options")).isEqualTo("SAMEORIGIN");
            assertThat(r.header("Cache-Control")).isEqualTo("no-store");
            assertThat(r.header("X-Content-Type-Options")).isEqualTo("nosniff");
        }
    }

    @Test
    void theEmbedPageMayBeFramedByAnySite() {
        TestNode.Response r = node.get("/embed/alice", null);
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.body()).contains("/static/js/embed.js");
        assertThat(r.header("Content-Security-Policy")).contains("frame-ancestors *");
        assertThat(r.header("X-Frame-Options")).isNull();
        assertThat(r.header("Permissions-Policy")).contains("camera=()");
    }

    @Test
    void theShellNamesTheSignedInUserSoTheFirstPaintIsRight() {
        TestNode.Account alice = node.signup("shell_alice");
        TestNode.Response r = node.send("GET", "/studio", null, null, "Cookie", "cascade_session=" + alice.token());
        assertThat(r.body()).contains("\"username\":\"shell_alice\"").contains("\"email\":\"shell_alice@example.org\"");
        TestNode.Response anonymous = node.send("GET", "/studio", null, null, "Cookie", "cascade_session=cls_not-a-session");
        assertThat(anonymous.body()).contains("\"user\":null");
    }

    @Test
    void bootDataCannotCloseItsScriptElement() {
        String json = PageShell.scriptSafeJson(Map.of("bio", "</script><script>alert(1)</script> & <!--"));
        assertThat(json).doesNotContain("<").doesNotContain(">").doesNotContain("&")
                .contains("\\u003c/script\\u003e");
    }

    @Test
    void staticFilesHaveTypesAndStrongEtagsAndRevalidate() {
        TestNode.Response js = node.get("/static/js/app.js", null);
        assertThat(js.status()).isEqualTo(200);
        assertThat(js.header("Content-Type")).startsWith("text/javascript");
        assertThat(js.header("Cache-Control")).isEqualTo("no-cache");
        String etag = js.header("ETag");
        assertThat(etag).matches("\"[0-9a-f]{24}\"");
        TestNode.Response again = node.send("GET", "/static/js/app.js", null, null, "If-None-Match", etag);
        assertThat(again.status()).isEqualTo(304);
        assertThat(again.body()).isEmpty();

        assertThat(node.get("/static/css/app.css", null).header("Content-Type")).startsWith("text/css");
        assertThat(node.get("/static/img/logo.svg", null).header("Content-Type")).startsWith("image/svg+xml");
        TestNode.Response hls = node.get("/static/vendor/hls.min.js", null);
        assertThat(hls.status()).isEqualTo(200);
        assertThat(hls.body()).startsWith("/*! hls.js 1.7.4").contains("Apache License 2.0");
        assertThat(node.get("/static/vendor/hls.js.LICENSE.txt", null).body()).contains("Apache License");
    }

    @Test
    void nothingOutsideTheAppIsServedAndOtherPathsStayTheApis() {
        for (String path : List.of("/static/index.html", "/static/js/nope.js", "/static/.hidden.js", "/static/js/app.js.bak",
                "/c/alice/extra", "/nope")) {
            TestNode.Response r = node.get(path, null);
            assertThat(r.status()).as(path).isEqualTo(404);
            assertThat(r.header("Content-Type")).as(path).startsWith("application/problem+json");
        }
        // Jetty refuses or normalises these before any route sees them; what matters is that nothing leaks.
        for (String path : List.of("/static/..%2F..%2Fpom.xml", "/static/js/../../index.html", "/static/%2e%2e/index.html")) {
            TestNode.Response r = node.get(path, null);
            assertThat(r.status()).as(path).isBetween(400, 404);
            assertThat(r.body()).as(path).doesNotContain("{{boot}}").doesNotContain("<project");
        }
        for (String probe : List.of("/livez", "/readyz", "/healthz")) {
            assertThat(node.get(probe, null).header("Content-Type")).as(probe).startsWith("application/json");
        }
        assertThat(node.get("/api/channels", null).header("Content-Type")).startsWith("application/json");
        assertThat(node.get("/api/nope", null).header("Content-Type")).startsWith("application/problem+json");
        assertThat(node.get("/metrics", null).body()).contains("http_server_requests_seconds");
    }
}
