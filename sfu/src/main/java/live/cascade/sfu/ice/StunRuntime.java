package live.cascade.sfu.ice;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32;
import live.cascade.sfu.params.IceParameters;
import org.ice4j.StunException;
import org.ice4j.message.Message;

/**
 * Runs the STUN path once at start-up. The first ice4j decode loads and initialises its attribute classes and
 * configuration, which takes long enough on a busy host for a client's first checks to go unanswered; paying that
 * off the media workers keeps the first answer prompt.
 */
public final class StunRuntime {
    private static boolean initialized;

    private StunRuntime() {}

    public static synchronized void initialize() {
        if (initialized) return;
        initialized = true;
        IceCredential credential = new IceCredential(new IceParameters("warm", "warmUpPassword0123456789"));
        byte[] request = sampleRequest(credential);
        try {
            Message.decode(request, 0, request.length);
        } catch (StunException e) {
            throw new IllegalStateException("ice4j rejected a well-formed request", e);
        }
        CRC32 crc = new CRC32();
        int mi = StunMessages.findAttribute(request, request.length, StunMessages.ATTR_MESSAGE_INTEGRITY);
        StunMessages.integrityMatches(request, request.length, mi, credential, new byte[20]);
        StunMessages.writeBindingSuccess(request, new byte[StunMessages.MAX_RESPONSE_LENGTH],
                new InetSocketAddress("192.0.2.1", 9), credential, crc);
    }

    /** A Binding request with USERNAME, USE-CANDIDATE and MESSAGE-INTEGRITY, the shape of an ICE check. */
    private static byte[] sampleRequest(IceCredential credential) {
        byte[] username = "warm:peer".getBytes(StandardCharsets.US_ASCII);
        int padded = (username.length + 3) & ~3;
        int length = 4 + padded + 4 + 24;
        ByteBuffer b = ByteBuffer.allocate(StunMessages.HEADER_LENGTH + length);
        b.putShort((short) StunMessages.BINDING_REQUEST).putShort((short) length).putInt(StunMessages.MAGIC_COOKIE);
        b.put(new byte[12]);
        b.putShort((short) StunMessages.ATTR_USERNAME).putShort((short) username.length).put(username);
        b.position(b.position() + padded - username.length);
        b.putShort((short) StunMessages.ATTR_USE_CANDIDATE).putShort((short) 0);
        b.putShort((short) StunMessages.ATTR_MESSAGE_INTEGRITY).putShort((short) 20);
        int miValue = b.position();
        byte[] out = b.array();
        credential.mac().update(out, 0, miValue - 4);
        System.arraycopy(credential.mac().doFinal(), 0, out, miValue, 20);
        return out;
    }
}
