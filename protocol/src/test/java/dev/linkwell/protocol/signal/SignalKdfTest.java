package dev.linkwell.protocol.signal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.linkwell.protocol.signal.SignalKdf.GroupMessageKey;
import dev.linkwell.protocol.signal.SignalKdf.MessageKeys;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/**
 * Known answers computed once with libsignal-node 6.0.0 ({@code src/crypto.js deriveSecrets},
 * {@code calculateMAC}) and Baileys 6.17.16 ({@code WASignalGroup/sender_message_key.js}), for
 * ikm = 00 01 .. 1f and salt = 20 21 .. 3f. The cross-check tests exercise the same derivations end to end.
 */
class SignalKdfTest {

    private static final HexFormat HEX = HexFormat.of();
    private static final byte[] IKM = HEX.parseHex("000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f");
    private static final byte[] SALT = HEX.parseHex("202122232425262728292a2b2c2d2e2f303132333435363738393a3b3c3d3e3f");

    @Test
    void x3dhMasterSecretDerivation() {
        byte[][] out = SignalKdf.derive(IKM, SignalKdf.ZERO_SALT, SignalKdf.INFO_TEXT, 3);
        assertThat(HEX.formatHex(out[0])).isEqualTo("31b2e937b12363c3e3aa8ff5c5b6a1be59a180a1e59b0351cc998092ed4fa336");
        assertThat(HEX.formatHex(out[1])).isEqualTo("6a4902c7db8e6c8c05ef832902aabcfdeb2fb4fa346f66de0c346112818df1a5");
        assertThat(HEX.formatHex(out[2])).isEqualTo("cf97f4d82229c4d9531111b9e158974b1c0d9416a254bbbff2532960b0af199a");
    }

    @Test
    void ratchetStepDerivationUsesTheRootKeyAsSalt() {
        byte[][] out = SignalKdf.derive(IKM, SALT, SignalKdf.INFO_RATCHET, 2);
        assertThat(HEX.formatHex(out[0])).isEqualTo("491f08b339433c927b9341f68b45461eb8cafcc11188e42ba10a13f90bc2e067");
        assertThat(HEX.formatHex(out[1])).isEqualTo("609f35dfa6e0920341de3c353d54275aeeb172e4c93203e055d3fcef7838987e");
    }

    @Test
    void messageKeysAreCipherKeyMacKeyAndIv() {
        MessageKeys keys = MessageKeys.of(IKM);
        assertThat(HEX.formatHex(keys.cipherKey()))
                .isEqualTo("b818cf662a1eaf9ded79df503b322cd36850a2f61db0703882cd0c5a73b4103e");
        assertThat(HEX.formatHex(keys.macKey()))
                .isEqualTo("81f29940c87867fc2eb7f29f1719c398ea89c3dab6f7749b2e070cb3751001a2");
        assertThat(HEX.formatHex(keys.iv())).isEqualTo("24d3cb64e9b5119c24f1e7aee85280e9");
    }

    @Test
    void chainStepsAreHmacWithOneAndTwo() {
        assertThat(HEX.formatHex(SignalKdf.messageKeySeed(IKM)))
                .isEqualTo("9b4c8120a4823a95f47cde17a244f4507244ee6e3957d1fab9fa29b44d3829b7");
        assertThat(HEX.formatHex(SignalKdf.nextChainKey(IKM)))
                .isEqualTo("4304c22c84a53755ab08ead8d97a8d429be5efa480682d7ad1da27f73e1fbe1d");
    }

    @Test
    void groupMessageKeyIsIvThenCipherKey() {
        GroupMessageKey key = GroupMessageKey.of(IKM);
        assertThat(HEX.formatHex(key.iv())).isEqualTo("fd79d07f7fa4acaee34c23decaed328c");
        assertThat(HEX.formatHex(key.cipherKey()))
                .isEqualTo("712371f4ff6a1bd08144704e9a3cf1735d2e1d69da481007a7e32cffbfc81ba7");
    }
}
