package live.cascade.sfu.net;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.concurrent.ThreadLocalRandom;
import java.util.zip.CRC32;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.ice4j.TransportAddress;
import org.ice4j.attribute.Attribute;
import org.ice4j.attribute.AttributeFactory;
import org.ice4j.attribute.MessageIntegrityAttribute;
import org.ice4j.attribute.XorMappedAddressAttribute;
import org.ice4j.message.Message;
import org.ice4j.message.MessageFactory;
import org.ice4j.message.Request;
import org.ice4j.security.CredentialsAuthority;
import org.ice4j.stack.StunStack;
import org.ice4j.stack.TransactionID;

/** Builds STUN Binding requests the way real clients do, independently of the production STUN code. */
public final class StunRequests {
    private static volatile byte[] key;
    private static StunStack stack;

    private StunRequests() {}

    /** A browser-style check built and signed by ice4j: PRIORITY, ICE-CONTROLLING, optional USE-CANDIDATE. */
    public static byte[] browserCheck(String serverUfrag, String serverPwd, String clientUfrag, boolean useCandidate) {
        return ice4jCheck(serverUfrag + ":" + clientUfrag, serverPwd, true, useCandidate);
    }

    /** A check built and signed by ice4j with the given key, with or without PRIORITY/ICE-CONTROLLING. */
    public static synchronized byte[] ice4jCheck(String username, String signingPassword, boolean priorityAndControlling,
                                                 boolean useCandidate) {
        try {
            key = signingPassword.getBytes(UTF_8);
            Request req = MessageFactory.createBindingRequest();
            req.setTransactionID(TransactionID.createNewTransactionID().getBytes());
            req.putAttribute(AttributeFactory.createUsernameAttribute(username));
            if (priorityAndControlling) {
                req.putAttribute(AttributeFactory.createPriorityAttribute(2130706431L));
                req.putAttribute(AttributeFactory.createIceControllingAttribute(0x1234567890L));
            }
            if (useCandidate) req.putAttribute(AttributeFactory.createUseCandidateAttribute());
            req.putAttribute(AttributeFactory.createMessageIntegrityAttribute(username));
            req.putAttribute(AttributeFactory.createFingerprintAttribute());
            return req.encode(stack());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * The byte layout FFmpeg's WHIP muxer ({@code libavformat/whip.c}, {@code ice_create_request}) writes, by hand:
     * USERNAME, USE-CANDIDATE, MESSAGE-INTEGRITY, FINGERPRINT, and no PRIORITY or ICE-CONTROLLING.
     */
    public static byte[] ffmpegCheck(String serverUfrag, String serverPwd, String clientUfrag) {
        byte[] username = (serverUfrag + ":" + clientUfrag).getBytes(US_ASCII);
        int padded = (username.length + 3) & ~3;
        ByteBuffer b = ByteBuffer.allocate(20 + 4 + padded + 4 + 24 + 8);
        b.putShort((short) 0x0001).putShort((short) 0).putInt(0x2112A442);
        byte[] tid = new byte[12];
        ThreadLocalRandom.current().nextBytes(tid);
        b.put(tid);
        b.putShort((short) 0x0006).putShort((short) username.length).put(username);
        b.position(b.position() + padded - username.length);
        b.putShort((short) 0x0025).putShort((short) 0);
        b.putShort((short) 0x0008).putShort((short) 20);
        int miAt = b.position();
        b.position(miAt + 20);
        byte[] msg = b.array();
        setLength(msg, miAt + 20 - 20);
        byte[] mac = hmac(serverPwd, msg, miAt - 4);
        System.arraycopy(mac, 0, msg, miAt, 20);
        b.putShort((short) 0x8028).putShort((short) 4);
        int fpAt = b.position();
        setLength(msg, fpAt + 4 - 20);
        CRC32 crc = new CRC32();
        crc.update(msg, 0, fpAt - 4);
        b.putInt((int) crc.getValue() ^ 0x5354554E);
        return msg;
    }

    public static byte[] transactionId(byte[] message) {
        return Arrays.copyOfRange(message, 8, 20);
    }

    /**
     * Asserts {@code response} is a Binding success for {@code request}: ice4j decodes it (which also verifies
     * FINGERPRINT), XOR-MAPPED-ADDRESS is {@code mapped}, and MESSAGE-INTEGRITY verifies with {@code serverPwd}.
     */
    public static void assertBindingSuccess(byte[] response, byte[] request, String serverPwd, InetSocketAddress mapped)
            throws Exception {
        Message decoded = Message.decode(response, 0, response.length);
        assertThat((int) decoded.getMessageType()).isEqualTo(0x0101);
        assertThat(decoded.getTransactionID()).isEqualTo(transactionId(request));
        assertThat(decoded.getAttribute(Attribute.FINGERPRINT)).isNotNull();
        XorMappedAddressAttribute xma = (XorMappedAddressAttribute) decoded.getAttribute(Attribute.XOR_MAPPED_ADDRESS);
        TransportAddress address = xma.getAddress(decoded.getTransactionID());
        assertThat(new InetSocketAddress(address.getAddress(), address.getPort())).isEqualTo(mapped);
        MessageIntegrityAttribute mi = (MessageIntegrityAttribute) decoded.getAttribute(Attribute.MESSAGE_INTEGRITY);
        int miAt = mi.getLocationInMessage();
        byte[] signed = Arrays.copyOf(response, miAt);
        setLength(signed, miAt + 24 - 20);
        byte[] expected = MessageIntegrityAttribute.calculateHmacSha1(signed, 0, miAt, serverPwd.getBytes(UTF_8));
        assertThat(mi.getHmacSha1Content()).isEqualTo(expected);
    }

    private static void setLength(byte[] msg, int len) {
        msg[2] = (byte) (len >>> 8);
        msg[3] = (byte) len;
    }

    private static byte[] hmac(String password, byte[] msg, int len) {
        try {
            Mac mac = Mac.getInstance("HmacSHA1");
            mac.init(new SecretKeySpec(password.getBytes(UTF_8), "HmacSHA1"));
            mac.update(msg, 0, len);
            return mac.doFinal();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static StunStack stack() {
        if (stack == null) {
            stack = new StunStack();
            stack.getCredentialsManager().registerAuthority(new CredentialsAuthority() {
                @Override public byte[] getLocalKey(String u) { return key; }
                @Override public byte[] getRemoteKey(String u, String media) { return key; }
                @Override public boolean checkLocalUserName(String u) { return true; }
            });
        }
        return stack;
    }
}
