package live.cascade.api.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.javalin.http.Context;

import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/** The one JSON mapper of the API, and strict reading of JSON request bodies into records. */
public final class Json {
    public static final ObjectMapper MAPPER = new ObjectMapper()
            .registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT);

    private Json() {
    }

    /**
     * Reads the body as {@code type}: 415 unless it is JSON, 413 past the size limit (Javalin enforces it on read),
     * 400 naming the field for a wrong type, 400 for JSON that does not parse.
     */
    public static <T> T body(Context ctx, Class<T> type) {
        String contentType = ctx.contentType();
        if (contentType == null || !contentType.toLowerCase(Locale.ROOT).startsWith("application/json")) {
            throw new ApiException(415, "Unsupported Media Type",
                    "Send the request body as JSON with Content-Type: application/json.").header("Accept", "application/json");
        }
        String text = ctx.body();
        if (text.isBlank()) throw ApiException.badRequest("The request body is empty; send a JSON object.");
        try {
            T value = MAPPER.readValue(text, type);
            if (value == null) throw ApiException.badRequest("The request body is null; send a JSON object.");
            return value;
        } catch (MismatchedInputException e) {
            String field = fieldPath(e);
            if (field.isEmpty()) throw ApiException.badRequest("The request body must be a JSON object.");
            throw ApiException.invalidField(field, "has the wrong type");
        } catch (JsonMappingException e) {
            String field = fieldPath(e);
            throw field.isEmpty() ? ApiException.badRequest("The request body is not valid JSON: " + e.getOriginalMessage())
                    : ApiException.invalidField(field, "is not valid: " + e.getOriginalMessage());
        } catch (JsonProcessingException e) {
            throw ApiException.badRequest("The request body is not valid JSON: " + e.getOriginalMessage());
        }
    }

    private static String fieldPath(JsonMappingException e) {
        List<JsonMappingException.Reference> path = e.getPath();
        return path.stream()
                .map(r -> r.getFieldName() != null ? r.getFieldName() : "[" + r.getIndex() + "]")
                .collect(Collectors.joining(".")).replace(".[", "[");
    }
}
