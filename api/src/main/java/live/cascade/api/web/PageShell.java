package live.cascade.api.web;

import com.fasterxml.jackson.core.JsonProcessingException;
import live.cascade.api.http.Json;

import java.nio.charset.StandardCharsets;

/**
 * An HTML page of the app (index.html, embed.html) with the boot data filled in: the signed-in user, so the first
 * paint already shows the right header and no page has to ask "who am I" (and get a 401 in its console) first.
 */
final class PageShell {
    /** Where the template takes the boot JSON, inside a {@code <script type="application/json">} element. */
    static final String BOOT_MARKER = "{{boot}}";

    private final AssetSource source;
    private final String file;
    private volatile String template;

    PageShell(AssetSource source, String file) {
        this.source = source;
        this.file = file;
        if (!source.live()) this.template = load();
    }

    private String load() {
        byte[] bytes = source.read(file);
        if (bytes == null) throw new IllegalStateException("the web app has no " + file + " (is cascade-webapp on the classpath?)");
        String text = new String(bytes, StandardCharsets.UTF_8);
        if (!text.contains(BOOT_MARKER)) throw new IllegalStateException(file + " has no " + BOOT_MARKER + " marker");
        return text;
    }

    String render(Object boot) {
        String t = source.live() ? load() : template;
        return t.replace(BOOT_MARKER, scriptSafeJson(boot));
    }

    /**
     * JSON that cannot end the script element it sits in: every {@code <} becomes {@code \u003c}, so no user-supplied
     * string ({@code </script>}, {@code <!--}) can break out, and {@code &} is escaped for good measure.
     */
    static String scriptSafeJson(Object value) {
        try {
            return Json.MAPPER.writeValueAsString(value).replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026");
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
