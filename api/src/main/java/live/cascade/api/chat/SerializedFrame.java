package live.cascade.api.chat;

import com.fasterxml.jackson.core.JsonProcessingException;
import live.cascade.api.http.Json;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * A frame serialized once: the JSON text and its UTF-8 bytes in a read-only buffer that every socket sends a
 * duplicate of, so fanning one event out to thousands of sockets neither serializes nor encodes it again.
 */
public record SerializedFrame(String text, ByteBuffer utf8) {

    public static SerializedFrame of(ServerFrame frame) {
        String text;
        try {
            text = Json.MAPPER.writerFor(ServerFrame.class).writeValueAsString(frame);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialize " + frame.getClass().getSimpleName(), e);
        }
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        // Direct, so the kernel write needs no copy out of the heap for each of the sockets.
        ByteBuffer buf = ByteBuffer.allocateDirect(bytes.length).put(bytes).flip();
        return new SerializedFrame(text, buf.asReadOnlyBuffer());
    }

    /** An independent view for one send: the sends' positions must not disturb each other. */
    ByteBuffer payload() {
        return utf8.duplicate();
    }
}
