package live.cascade.sfu.dtls;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class DtlsRecordsTest {
    private static byte[] record(int type, int epoch, int length) {
        ByteBuffer b = ByteBuffer.allocate(13 + length);
        b.put((byte) type).put((byte) 0xFE).put((byte) 0xFD).putShort((short) epoch).putShort((short) 0).putInt(1)
                .putShort((short) length);
        return b.array();
    }

    private static byte[] concat(byte[] a, byte[] b) {
        return ByteBuffer.allocate(a.length + b.length).put(a).put(b).array();
    }

    @Test
    void completeRecordsAreAccepted() {
        assertThat(DtlsRecords.wellFormed(record(22, 0, 100), 24)).isTrue();
        assertThat(DtlsRecords.wellFormed(concat(record(22, 0, 50), record(20, 0, 1)), 24)).isTrue();
        assertThat(DtlsRecords.wellFormed(record(21, 1, 26), 24)).as("GCM alert: nonce, 2 bytes, tag").isTrue();
        assertThat(DtlsRecords.wellFormed(record(21, 1, 18), 16)).as("ChaCha alert").isTrue();
    }

    @Test
    void truncatedForeignOrTooShortEncryptedRecordsAreRefused() {
        byte[] full = record(22, 0, 100);
        assertThat(DtlsRecords.wellFormed(Arrays.copyOf(full, 50), 24)).as("truncated").isFalse();
        assertThat(DtlsRecords.wellFormed(Arrays.copyOf(full, 12), 24)).as("no header").isFalse();
        assertThat(DtlsRecords.wellFormed(concat(full, new byte[] {22, (byte) 0xFE}), 24)).as("trailing").isFalse();
        assertThat(DtlsRecords.wellFormed(record(21, 1, 23), 24)).as("shorter than nonce + tag").isFalse();
        assertThat(DtlsRecords.wellFormed(record(40, 0, 10), 24)).as("content type").isFalse();
        byte[] tls = record(22, 0, 10);
        tls[1] = 3;
        assertThat(DtlsRecords.wellFormed(tls, 24)).as("TLS, not DTLS, version").isFalse();
    }
}
