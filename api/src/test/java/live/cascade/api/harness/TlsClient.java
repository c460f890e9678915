package live.cascade.api.harness;

import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Locale;

/**
 * TLS from the test's side: connections whose served certificate a test reads ({@link #peer}), which stay open for
 * more exchanges ({@link Raw}, HTTP/1.1 keep-alive), so a test can show that a connection from before a certificate
 * swap outlives it.
 */
public final class TlsClient {
    private TlsClient() {
    }

    /** Trusts {@code anchors} only (the chain is checked; the name is checked where {@link #connect} asks for it). */
    public static SSLContext trusting(List<X509Certificate> anchors) throws Exception {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        ks.load(null, null);
        for (int i = 0; i < anchors.size(); i++) ks.setCertificateEntry("a" + i, anchors.get(i));
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(ks);
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(null, tmf.getTrustManagers(), null);
        return ctx;
    }

    /**
     * Trusts whatever the server presents, name included (an extended trust manager does the name check itself, so a
     * silent one skips it): for tests that read the certificate rather than rely on it.
     */
    public static SSLContext trustingAnything() {
        try {
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(null, new TrustManager[]{new X509ExtendedTrustManager() {
                @Override public void checkClientTrusted(X509Certificate[] c, String a) { }
                @Override public void checkServerTrusted(X509Certificate[] c, String a) { }
                @Override public void checkClientTrusted(X509Certificate[] c, String a, Socket s) { }
                @Override public void checkServerTrusted(X509Certificate[] c, String a, Socket s) { }
                @Override public void checkClientTrusted(X509Certificate[] c, String a, SSLEngine e) { }
                @Override public void checkServerTrusted(X509Certificate[] c, String a, SSLEngine e) { }
                @Override public X509Certificate[] getAcceptedIssuers() { return new X509Certificate[0]; }
            }}, null);
            return ctx;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * A TLS connection to 127.0.0.1:{@code port}, handshake done; with {@code serverName} it sends that name (SNI) and
     * checks the certificate is for it, without it neither.
     */
    public static SSLSocket connect(SSLContext trust, String serverName, int port) throws IOException {
        Socket raw = new Socket("127.0.0.1", port);
        SSLSocket s = (SSLSocket) trust.getSocketFactory().createSocket(raw, serverName == null ? "127.0.0.1" : serverName, port, true);
        if (serverName != null) {
            var params = s.getSSLParameters();
            params.setEndpointIdentificationAlgorithm("HTTPS");
            params.setServerNames(List.of(new SNIHostName(serverName)));
            s.setSSLParameters(params);
        }
        s.setSoTimeout(10_000);
        s.startHandshake();
        return s;
    }

    /** The leaf certificate the server presented on this connection. */
    public static X509Certificate peer(SSLSocket s) throws IOException {
        return (X509Certificate) s.getSession().getPeerCertificates()[0];
    }

    /** The leaf a new connection to 127.0.0.1:{@code port} gets, trusting anything. */
    public static X509Certificate served(int port) throws IOException {
        try (SSLSocket s = connect(trustingAnything(), null, port)) {
            return peer(s);
        }
    }

    /** One HTTP/1.1 exchange on an open socket, read by Content-Length or chunks so the connection can carry another. */
    public record Raw(int status, String head, String body) {
        public static Raw exchange(Socket s, String host, String method, String path, boolean keepAlive) throws IOException {
            s.getOutputStream().write((method + " " + path + " HTTP/1.1\r\nHost: " + host + "\r\n"
                    + (keepAlive ? "" : "Connection: close\r\n") + "\r\n").getBytes(StandardCharsets.US_ASCII));
            s.getOutputStream().flush();
            InputStream in = s.getInputStream();
            ByteArrayOutputStream head = new ByteArrayOutputStream();
            while (!head.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
                int b = in.read();
                if (b < 0) throw new IOException("connection closed in the response head: " + head);
                head.write(b);
            }
            String h = head.toString(StandardCharsets.ISO_8859_1);
            int status = Integer.parseInt(h.substring(9, 12));
            String lower = h.toLowerCase(Locale.ROOT);
            int i = lower.indexOf("content-length:");
            byte[] body;
            if (i >= 0) {
                int len = Integer.parseInt(lower.substring(i + 15, lower.indexOf("\r\n", i)).strip());
                body = in.readNBytes(len);
            } else if (lower.contains("transfer-encoding: chunked")) {
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                while (true) {
                    StringBuilder line = new StringBuilder();
                    for (int b; (b = in.read()) != '\n'; ) {
                        if (b < 0) throw new IOException("connection closed in a chunk size line");
                        if (b != '\r') line.append((char) b);
                    }
                    int size = Integer.parseInt(line.toString().strip(), 16);
                    out.write(in.readNBytes(size));
                    in.read();
                    in.read();
                    if (size == 0) break;
                }
                body = out.toByteArray();
            } else {
                body = in.readAllBytes();
            }
            return new Raw(status, h, new String(body, StandardCharsets.UTF_8));
        }
    }
}
