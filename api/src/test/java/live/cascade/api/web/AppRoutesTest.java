package live.cascade.api.web;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The route list lives twice: in the client router ({@code webapp/js/router.js}) and in {@link WebApp#APP_ROUTES},
 * where the server serves the page shell. A route only one of them knows is a page that 404s on reload, or a shell
 * the router cannot fill; this reads the router.js the node serves and holds the two lists together.
 */
class AppRoutesTest {
    /** One route of router.js: {@code { pattern: /^\/c\/([^/]+)$/, keys: ['slug'], ... }}. */
    private static final Pattern ROUTE = Pattern.compile("\\{\\s*pattern:\\s*/(\\^[^\\n]*?\\$)/,\\s*keys:\\s*\\[([^\\]]*)]");
    private static final Pattern PARAMETER = Pattern.compile("\\{[^}/]+}");

    @Test
    void theServerServesTheShellOnExactlyTheRoutesTheClientRouterKnows() {
        List<String> client = clientRoutes();

        assertThat(client).as("routes parsed from router.js").hasSizeGreaterThanOrEqualTo(5);
        assertThat(shapes(client)).containsExactlyInAnyOrderElementsOf(shapes(WebApp.APP_ROUTES));
    }

    @Test
    void eachClientPatternMatchesItsServerRouteWithASampleValue() {
        Matcher m = ROUTE.matcher(routerJs());
        while (m.find()) {
            Pattern jsPattern = Pattern.compile(m.group(1));  // the JS literal's syntax is valid Java regex here
            String template = template(m.group(1), keys(m.group(2)));
            String sample = PARAMETER.matcher(template).replaceAll("some-value");
            assertThat(jsPattern.matcher(sample).matches()).as("%s matches %s", m.group(1), sample).isTrue();
        }
    }

    /** The router's routes as path templates with the router's own parameter names: {@code /c/{slug}}. */
    static List<String> clientRoutes() {
        List<String> routes = new ArrayList<>();
        Matcher m = ROUTE.matcher(routerJs());
        while (m.find()) {
            routes.add(template(m.group(1), keys(m.group(2))));
        }
        return routes;
    }

    private static String routerJs() {
        byte[] js = new AssetSource.Classpath("webapp/").read("js/router.js");
        assertThat(js).as("webapp/js/router.js on the class path").isNotNull();
        return new String(js, StandardCharsets.UTF_8);
    }

    private static List<String> keys(String list) {
        List<String> keys = new ArrayList<>();
        Matcher m = Pattern.compile("'([^']+)'").matcher(list);
        while (m.find()) keys.add(m.group(1));
        return keys;
    }

    /** {@code ^\/c\/([^/]+)$} with keys [slug] → {@code /c/{slug}}; fails on regex syntax it does not understand. */
    private static String template(String regex, List<String> keys) {
        String body = regex.substring(1, regex.length() - 1).replace("\\/", "/");
        StringBuilder out = new StringBuilder();
        int key = 0;
        for (String part : body.split("\\(\\[\\^/]\\+\\)", -1)) {
            if (key > 0) out.append('{').append(keys.get(key - 1)).append('}');
            out.append(part);
            key++;
        }
        String template = out.toString();
        assertThat(template).as("route template from %s", regex).matches("/[A-Za-z0-9/{}_-]*");
        assertThat(key - 1).as("capture groups against keys in %s", regex).isEqualTo(keys.size());
        return template;
    }

    /** The parameter names differ ({@code {category}} in JS, {@code {name}} in Java); the shape must not. */
    private static List<String> shapes(List<String> routes) {
        return routes.stream().map(r -> PARAMETER.matcher(r).replaceAll("{}")).toList();
    }
}
