package live.cascade.api.ice;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * A TURN Allocate over UDP (RFC 8656 long-term credentials) as a browser does it: a first request without credentials
 * draws 401 with REALM and NONCE, the second carries USERNAME, REALM, NONCE and MESSAGE-INTEGRITY keyed with
 * MD5(username:realm:password). Enough of TURN to ask a real server whether it accepts a credential.
 */
final class TurnAllocate {
    private static final int MAGIC = 0x2112A442;
    private static final int ALLOCATE_REQUEST = 0x0003;
    private static final int ALLOCATE_SUCCESS = 0x0103;
    private static final int ATTR_USERNAME = 0x0006;
    private static final int ATTR_MESSAGE_INTEGRITY = 0x0008;
    private static final int ATTR_ERROR_CODE = 0x0009;
    private static final int ATTR_REALM = 0x0014;
    private static final int ATTR_NONCE = 0x0015;
    private static final int ATTR_REQUESTED_TRANSPORT = 0x0019;
    private static final SecureRandom RANDOM = new SecureRandom();

    /** How the server answered the authenticated Allocate: 0 for success, else the STUN error code (401, 438...). */
    record Outcome(int errorCode, String reason) {
        boolean allocated() { return errorCode == 0; }
    }

    private TurnAllocate() {}

    static Outcome allocate(InetSocketAddress server, String username, String password) {
        try (DatagramSocket socket = new DatagramSocket()) {
            socket.setSoTimeout(3000);
            byte[] first = exchange(socket, server, request(null, null, null, null));
            byte[] realm = attribute(first, ATTR_REALM);
            byte[] nonce = attribute(first, ATTR_NONCE);
            if (realm == null || nonce == null) throw new AssertionError("no REALM/NONCE in the first answer: " + describe(first));
            byte[] key = MessageDigest.getInstance("MD5").digest((username + ":" + new String(realm, StandardCharsets.UTF_8)
                    + ":" + password).getBytes(StandardCharsets.UTF_8));
            byte[] second = exchange(socket, server, request(username.getBytes(StandardCharsets.UTF_8), realm, nonce, key));
            int type = ((second[0] & 0xFF) << 8) | (second[1] & 0xFF);
            if (type == ALLOCATE_SUCCESS) return new Outcome(0, "allocated");
            return errorOf(second);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] exchange(DatagramSocket socket, InetSocketAddress server, byte[] request) throws IOException {
        socket.send(new DatagramPacket(request, request.length, server));
        byte[] buf = new byte[2048];
        DatagramPacket p = new DatagramPacket(buf, buf.length);
        socket.receive(p);
        byte[] reply = Arrays.copyOf(buf, p.getLength());
        if (!Arrays.equals(reply, 8, 20, request, 8, 20)) throw new AssertionError("answer to another transaction");
        return reply;
    }

    private static byte[] request(byte[] username, byte[] realm, byte[] nonce, byte[] key) throws GeneralSecurityException {
        ByteBuffer b = ByteBuffer.allocate(512);
        b.putShort((short) ALLOCATE_REQUEST).putShort((short) 0).putInt(MAGIC);
        byte[] tid = new byte[12];
        RANDOM.nextBytes(tid);
        b.put(tid);
        put(b, ATTR_REQUESTED_TRANSPORT, new byte[] {17, 0, 0, 0});
        if (username != null) {
            put(b, ATTR_USERNAME, username);
            put(b, ATTR_REALM, realm);
            put(b, ATTR_NONCE, nonce);
            // The length field counts MESSAGE-INTEGRITY itself when the HMAC is computed (RFC 8489 14.5).
            int miAt = b.position();
            b.putShort(2, (short) (miAt - 20 + 24));
            Mac mac = Mac.getInstance("HmacSHA1");
            mac.init(new SecretKeySpec(key, "HmacSHA1"));
            mac.update(b.array(), 0, miAt);
            put(b, ATTR_MESSAGE_INTEGRITY, mac.doFinal());
        }
        b.putShort(2, (short) (b.position() - 20));
        return Arrays.copyOf(b.array(), b.position());
    }

    private static void put(ByteBuffer b, int type, byte[] value) {
        b.putShort((short) type).putShort((short) value.length).put(value);
        while (b.position() % 4 != 0) b.put((byte) 0);
    }

    private static byte[] attribute(byte[] msg, int wanted) {
        int at = 20;
        int end = Math.min(msg.length, 20 + (((msg[2] & 0xFF) << 8) | (msg[3] & 0xFF)));
        while (at + 4 <= end) {
            int type = ((msg[at] & 0xFF) << 8) | (msg[at + 1] & 0xFF);
            int len = ((msg[at + 2] & 0xFF) << 8) | (msg[at + 3] & 0xFF);
            if (at + 4 + len > end) return null;
            if (type == wanted) return Arrays.copyOfRange(msg, at + 4, at + 4 + len);
            at += 4 + ((len + 3) & ~3);
        }
        return null;
    }

    private static Outcome errorOf(byte[] msg) {
        byte[] e = attribute(msg, ATTR_ERROR_CODE);
        if (e == null || e.length < 4) return new Outcome(-1, "no ERROR-CODE: " + describe(msg));
        return new Outcome((e[2] & 0x07) * 100 + (e[3] & 0xFF), new String(e, 4, e.length - 4, StandardCharsets.UTF_8));
    }

    private static String describe(byte[] msg) {
        return String.format("type 0x%04x, %d bytes", ((msg[0] & 0xFF) << 8) | (msg[1] & 0xFF), msg.length);
    }
}
