package live.cascade.api.profiles;

import java.math.BigInteger;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/**
 * Checks donation addresses where the format is known, so a typo is caught before viewers send money to it:
 * BTC (bech32/bech32m with checksum, or base58check P2PKH/P2SH) and ETH ({@code 0x} + 40 hex). Other currencies are
 * accepted as written.
 */
public final class DonationAddressCheck {
    private static final String BECH32_CHARSET = "qpzry9x8gf2tvdw0s3jn54khce6mua7l";
    private static final String BASE58 = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";
    private static final int BECH32_CONST = 1;
    private static final int BECH32M_CONST = 0x2bc830a3;

    private DonationAddressCheck() {
    }

    /** Why {@code address} is not a valid address of {@code currency} (upper case), or empty if valid or unknown. */
    public static Optional<String> problem(String currency, String address) {
        return switch (currency) {
            case "BTC" -> isBitcoin(address) ? Optional.empty()
                    : Optional.of("is not a valid Bitcoin address (expected bech32 bc1… or base58 1…/3… with a correct checksum)");
            case "ETH" -> address.matches("0x[0-9a-fA-F]{40}") ? Optional.empty()
                    : Optional.of("is not a valid Ethereum address (expected 0x followed by 40 hex digits)");
            default -> Optional.empty();
        };
    }

    static boolean isBitcoin(String a) {
        String lower = a.toLowerCase(Locale.ROOT);
        if (lower.startsWith("bc1")) return isBech32(a, "bc");
        if (a.startsWith("1") || a.startsWith("3")) return isBase58Check(a, a.startsWith("1") ? 0x00 : 0x05);
        return false;
    }

    private static boolean isBech32(String a, String hrp) {
        if (!a.equals(a.toLowerCase(Locale.ROOT)) && !a.equals(a.toUpperCase(Locale.ROOT))) return false; // mixed case is invalid
        String s = a.toLowerCase(Locale.ROOT);
        int sep = s.lastIndexOf('1');
        if (sep != hrp.length() || !s.startsWith(hrp) || s.length() > 90 || s.length() - sep - 1 < 6) return false;
        int[] data = new int[s.length() - sep - 1];
        for (int i = 0; i < data.length; i++) {
            int v = BECH32_CHARSET.indexOf(s.charAt(sep + 1 + i));
            if (v < 0) return false;
            data[i] = v;
        }
        int witnessVersion = data[0];
        int check = polymod(hrpExpand(hrp), data);
        // Witness v0 uses bech32; v1+ (taproot) uses bech32m (BIP 350).
        if (witnessVersion == 0 ? check != BECH32_CONST : check != BECH32M_CONST) return false;
        if (witnessVersion > 16) return false;
        int programBits = (data.length - 1 - 6) * 5;
        int programBytes = programBits / 8;
        if (programBytes < 2 || programBytes > 40) return false;
        return witnessVersion != 0 || programBytes == 20 || programBytes == 32;
    }

    private static int[] hrpExpand(String hrp) {
        int[] out = new int[hrp.length() * 2 + 1];
        for (int i = 0; i < hrp.length(); i++) {
            out[i] = hrp.charAt(i) >> 5;
            out[i + hrp.length() + 1] = hrp.charAt(i) & 31;
        }
        return out;
    }

    private static int polymod(int[] hrp, int[] data) {
        int[] gen = {0x3b6a57b2, 0x26508e6d, 0x1ea119fa, 0x3d4233dd, 0x2a1462b3};
        int chk = 1;
        int[] all = Arrays.copyOf(hrp, hrp.length + data.length);
        System.arraycopy(data, 0, all, hrp.length, data.length);
        for (int v : all) {
            int top = chk >>> 25;
            chk = ((chk & 0x1ffffff) << 5) ^ v;
            for (int i = 0; i < 5; i++) if (((top >>> i) & 1) != 0) chk ^= gen[i];
        }
        return chk;
    }

    private static boolean isBase58Check(String a, int version) {
        if (a.length() < 26 || a.length() > 35) return false;
        BigInteger n = BigInteger.ZERO;
        for (char c : a.toCharArray()) {
            int v = BASE58.indexOf(c);
            if (v < 0) return false;
            n = n.multiply(BigInteger.valueOf(58)).add(BigInteger.valueOf(v));
        }
        byte[] raw = n.toByteArray();
        if (raw.length > 1 && raw[0] == 0) raw = Arrays.copyOfRange(raw, 1, raw.length);
        int leadingZeros = 0;
        while (leadingZeros < a.length() && a.charAt(leadingZeros) == '1') leadingZeros++;
        byte[] full = new byte[leadingZeros + raw.length];
        System.arraycopy(raw, 0, full, leadingZeros, raw.length);
        if (full.length != 25 || (full[0] & 0xff) != version) return false;
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            byte[] h = sha.digest(sha.digest(Arrays.copyOf(full, 21)));
            return Arrays.equals(Arrays.copyOf(h, 4), Arrays.copyOfRange(full, 21, 25));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
