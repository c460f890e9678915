package live.cascade.api.profiles;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class DonationAddressCheckTest {
    @Test
    void acceptsValidBitcoinAddressesOfEachKind() {
        assertThat(DonationAddressCheck.problem("BTC", "bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq")).isEmpty(); // P2WPKH, bech32
        assertThat(DonationAddressCheck.problem("BTC", "bc1p5d7rjq7g6rdk2yhzks9smlaqtedr4dekq08ge8ztwac72sfr9rusxg3297")).isEmpty(); // taproot, bech32m
        assertThat(DonationAddressCheck.problem("BTC", "1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa")).isEmpty(); // P2PKH
        assertThat(DonationAddressCheck.problem("BTC", "3J98t1WpEZ73CNmQviecrnyiWrnqRhWNLy")).isEmpty(); // P2SH
    }

    @Test
    void rejectsBitcoinAddressesWithABadChecksumOrShape() {
        assertThat(DonationAddressCheck.problem("BTC", "bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdx")).isPresent();
        assertThat(DonationAddressCheck.problem("BTC", "1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNb")).isPresent();
        assertThat(DonationAddressCheck.problem("BTC", "bc1Qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq")).isPresent(); // mixed case
        assertThat(DonationAddressCheck.problem("BTC", "0x52908400098527886E0F7030069857D2E4169EE7")).isPresent();
    }

    @Test
    void checksEthereumShapeAndLeavesUnknownCurrenciesAlone() {
        assertThat(DonationAddressCheck.problem("ETH", "0x52908400098527886E0F7030069857D2E4169EE7")).isEmpty();
        assertThat(DonationAddressCheck.problem("ETH", "52908400098527886E0F7030069857D2E4169EE7")).isPresent();
        assertThat(DonationAddressCheck.problem("ETH", "0x52908400098527886E0F7030069857D2E4169EEZ")).isPresent();
        assertThat(DonationAddressCheck.problem("DOGE", "anything-goes")).isEmpty();
    }
}
