package dev.linkwell.protocol.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.linkwell.protocol.ProtocolException;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/** Published test vectors for every primitive, plus the failure modes. */
class CryptoPrimitivesTest {

    private static final HexFormat HEX = HexFormat.of();

    private static byte[] hex(String s) {
        return HEX.parseHex(s);
    }

    @Test
    void x25519MatchesRfc7748Section61() {
        byte[] alicePriv = hex("77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a");
        byte[] bobPriv = hex("5dab087e624a8a4b79e17f8b83800ee66f3bb1292618b6fd1c2f8b27ff88e0eb");
        assertThat(HEX.formatHex(Curve25519.publicFromPrivate(alicePriv)))
                .isEqualTo("8520f0098930a754748b7ddcb43ef75a0dbf3a0d26381af4eba4a98eaa9b4e6a");
        byte[] bobPub = Curve25519.publicFromPrivate(bobPriv);
        assertThat(HEX.formatHex(bobPub)).isEqualTo("de9edb7d7b7dc1b4d35b61c2ece435373f8343c85b78674dadfc7e146f882b4f");
        assertThat(HEX.formatHex(Curve25519.sharedSecret(alicePriv, bobPub)))
                .isEqualTo("4a5d9d5ba4ce2de1728e3bf480350f25e07e21c947d19e3376f09b3c1e161742");
        // Signal's 33-byte form is accepted too.
        assertThat(Curve25519.sharedSecret(alicePriv, Curve25519.toSignalPublicKey(bobPub)))
                .isEqualTo(Curve25519.sharedSecret(alicePriv, bobPub));
    }

    @Test
    void x25519RejectsLowOrderPointsAndBadLengths() {
        KeyPair pair = KeyPair.generate();
        assertThatThrownBy(() -> Curve25519.sharedSecret(pair.privateKey(), new byte[32]))
                .isInstanceOf(CryptoException.class)
                .hasMessageContaining("all-zero");
        assertThatThrownBy(() -> Curve25519.sharedSecret(pair.privateKey(), new byte[31]))
                .isInstanceOf(ProtocolException.class);
        byte[] wrongType = Curve25519.toSignalPublicKey(pair.publicKey());
        wrongType[0] = 0x06;
        assertThatThrownBy(() -> Curve25519.fromSignalPublicKey(wrongType)).isInstanceOf(CryptoException.class);
    }

    @Test
    void keyPairsAreClampedAndConsistent() {
        for (int i = 0; i < 20; i++) {
            KeyPair pair = KeyPair.generate();
            byte[] priv = pair.privateKey();
            assertThat(priv[0] & 7).isZero();
            assertThat(priv[31] & 0x80).isZero();
            assertThat(priv[31] & 0x40).isEqualTo(0x40);
            assertThat(KeyPair.fromPrivateKey(priv)).isEqualTo(pair);
            assertThat(pair.signalPublicKey()).hasSize(33).startsWith(Curve25519.DJB_TYPE);
            assertThat(pair.toString()).doesNotContain(HEX.formatHex(priv));
        }
    }

    @Test
    void edwardsBaseMultMatchesRfc8032KeyDerivation() {
        // scalar 1 gives the base point encoding
        byte[] one = new byte[32];
        one[0] = 1;
        assertThat(HEX.formatHex(Edwards25519.scalarMultBaseEncoded(one)))
                .isEqualTo("5866666666666666666666666666666666666666666666666666666666666666");
        // RFC 8032 7.1 TEST 1: a = prune(SHA-512(seed)[0..32]); A = a*B
        byte[] seed = hex("9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60");
        byte[] h = sha512(seed);
        byte[] a = java.util.Arrays.copyOf(h, 32);
        a = Curve25519.clamp(a);
        assertThat(HEX.formatHex(Edwards25519.scalarMultBaseEncoded(a)))
                .isEqualTo("d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a");
    }

    @Test
    void edwardsBaseMultAgreesWithBouncyCastleEd25519ForRandomSeeds() {
        java.util.Random random = new java.util.Random(99);
        for (int i = 0; i < 50; i++) {
            byte[] seed = new byte[32];
            random.nextBytes(seed);
            byte[] expected = new byte[32];
            org.bouncycastle.math.ec.rfc8032.Ed25519.generatePublicKey(seed, 0, expected, 0);
            byte[] a = Curve25519.clamp(java.util.Arrays.copyOf(sha512(seed), 32));
            assertThat(Edwards25519.scalarMultBaseEncoded(a)).as("seed %d", i).isEqualTo(expected);
        }
    }

    @Test
    void montgomeryToEdwardsAgreesWithEdwardsScalarMult() {
        for (int i = 0; i < 20; i++) {
            KeyPair pair = KeyPair.generate();
            byte[] ed = Edwards25519.scalarMultBaseEncoded(pair.privateKey());
            byte[] y = Edwards25519.montgomeryToEdwardsY(pair.publicKey());
            ed[31] &= 0x7f;
            assertThat(y).isEqualTo(ed);
        }
    }

    @Test
    void xeddsaSignsAndVerifies() {
        byte[] message = "hello linkwell".getBytes(StandardCharsets.UTF_8);
        boolean sawSignBitSet = false;
        boolean sawSignBitClear = false;
        for (int i = 0; i < 40; i++) {
            KeyPair pair = KeyPair.generate();
            byte[] sig = XEdDSA.sign(pair.privateKey(), message);
            assertThat(sig).hasSize(64);
            if ((sig[63] & 0x80) != 0) {
                sawSignBitSet = true;
            } else {
                sawSignBitClear = true;
            }
            assertThat(XEdDSA.verify(pair.publicKey(), message, sig)).isTrue();
            assertThat(XEdDSA.verify(pair.signalPublicKey(), message, sig)).isTrue();
            byte[] tampered = sig.clone();
            tampered[5] ^= 1;
            assertThat(XEdDSA.verify(pair.publicKey(), message, tampered)).isFalse();
            byte[] flipped = sig.clone();
            flipped[63] ^= (byte) 0x80;
            assertThat(XEdDSA.verify(pair.publicKey(), message, flipped)).isFalse();
            byte[] otherMessage = message.clone();
            otherMessage[0] ^= 1;
            assertThat(XEdDSA.verify(pair.publicKey(), otherMessage, sig)).isFalse();
            assertThat(XEdDSA.verify(KeyPair.generate().publicKey(), message, sig))
                    .isFalse();
        }
        assertThat(sawSignBitSet).as("some keys have an odd Edwards x").isTrue();
        assertThat(sawSignBitClear).as("some keys have an even Edwards x").isTrue();
    }

    @Test
    void xeddsaIsDeterministicForFixedRandomAndAcceptsUnclampedKeys() {
        KeyPair pair = KeyPair.generate();
        byte[] z = new byte[64];
        byte[] m = {1, 2, 3};
        assertThat(XEdDSA.sign(pair.privateKey(), m, z)).isEqualTo(XEdDSA.sign(pair.privateKey(), m, z));
        byte[] unclamped = pair.privateKey();
        unclamped[0] |= 7;
        unclamped[31] |= (byte) 0x80;
        assertThat(XEdDSA.verify(pair.publicKey(), m, XEdDSA.sign(unclamped, m, z)))
                .isTrue();
    }

    @Test
    void xeddsaRejectsMalformedInputWithTypedErrors() {
        KeyPair pair = KeyPair.generate();
        assertThatThrownBy(() -> XEdDSA.verify(pair.publicKey(), new byte[1], new byte[63]))
                .isInstanceOf(CryptoException.class);
        assertThatThrownBy(() -> XEdDSA.verify(new byte[31], new byte[1], new byte[64]))
                .isInstanceOf(CryptoException.class);
        assertThatThrownBy(() -> XEdDSA.sign(pair.privateKey(), new byte[1], new byte[10]))
                .isInstanceOf(CryptoException.class);
        // all-zero and all-ones signatures are simply invalid
        assertThat(XEdDSA.verify(pair.publicKey(), new byte[1], new byte[64])).isFalse();
        byte[] ones = new byte[64];
        java.util.Arrays.fill(ones, (byte) 0xff);
        assertThat(XEdDSA.verify(pair.publicKey(), new byte[1], ones)).isFalse();
    }

    @Test
    void hkdfMatchesRfc5869TestCase1And3() {
        byte[] ikm = new byte[22];
        java.util.Arrays.fill(ikm, (byte) 0x0b);
        byte[] okm = Hkdf.derive(ikm, hex("000102030405060708090a0b0c"), hex("f0f1f2f3f4f5f6f7f8f9"), 42);
        assertThat(HEX.formatHex(okm))
                .isEqualTo("3cb25f25faacd57a90434f64d0362f2a2d2d0a90cf1a5a4c5db02d56ecc4c5bf34007208d5b887185865");
        byte[] okm3 = Hkdf.derive(ikm, new byte[0], new byte[0], 42);
        assertThat(HEX.formatHex(okm3))
                .isEqualTo("8da4e775a563c18f715f802a063c5a31b8a11f5c5ee1879ec3454e5f3c738d2d9d201395faa4b61a96c8");
        assertThatThrownBy(() -> Hkdf.expand(new byte[32], null, 255 * 32 + 1)).isInstanceOf(CryptoException.class);
    }

    @Test
    void hmacSha256MatchesRfc4231TestCase2() {
        byte[] mac = Hmac.sha256(
                "Jefe".getBytes(StandardCharsets.US_ASCII),
                "what do ya want for nothing?".getBytes(StandardCharsets.US_ASCII));
        assertThat(HEX.formatHex(mac)).isEqualTo("5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
    }

    @Test
    void pbkdf2MatchesKnownVectorsAndPairingIterations() {
        byte[] salt = "salt".getBytes(StandardCharsets.US_ASCII);
        assertThat(HEX.formatHex(Pbkdf2.sha256("password".toCharArray(), salt, 1, 32)))
                .isEqualTo("120fb6cffcf8b32c43e7225256c4f837a86548c92ccc35480805987cb70be17b");
        assertThat(HEX.formatHex(Pbkdf2.sha256("password".toCharArray(), salt, 4096, 32)))
                .isEqualTo("c5e478d59288c841aa530db6845c4c8d962893a001ce4e11a4963873aa98134a");
        assertThat(Pbkdf2.PAIRING_CODE_ITERATIONS).isEqualTo(2 << 16);
        assertThat(Pbkdf2.pairingCodeKey("ABCD1234", new byte[32])).hasSize(32);
    }

    @Test
    void aesGcmMatchesNistVectorsAndRejectsBadTags() {
        byte[] key = new byte[32];
        byte[] iv = new byte[12];
        assertThat(HEX.formatHex(Aes.gcmEncrypt(key, iv, new byte[0], null)))
                .isEqualTo("530f8afbc74536b9a963b4f1c4cb738b");
        byte[] ct = Aes.gcmEncrypt(key, iv, new byte[16], null);
        assertThat(HEX.formatHex(ct)).isEqualTo("cea7403d4d606b6e074ec5d3baf39d18d0d1c8a799996bf0265b98b5d48ab919");
        assertThat(Aes.gcmDecrypt(key, iv, ct, null)).isEqualTo(new byte[16]);

        byte[] aad = {9, 9, 9};
        byte[] withAad = Aes.gcmEncrypt(key, iv, new byte[] {1, 2, 3}, aad);
        assertThat(Aes.gcmDecrypt(key, iv, withAad, aad)).containsExactly(1, 2, 3);
        assertThatThrownBy(() -> Aes.gcmDecrypt(key, iv, withAad, new byte[] {9, 9}))
                .isInstanceOf(CryptoException.class)
                .hasMessageContaining("tag");
        byte[] tampered = withAad.clone();
        tampered[0] ^= 1;
        assertThatThrownBy(() -> Aes.gcmDecrypt(key, iv, tampered, aad)).isInstanceOf(CryptoException.class);
        assertThatThrownBy(() -> Aes.gcmDecrypt(key, iv, new byte[15], aad)).isInstanceOf(CryptoException.class);
        assertThatThrownBy(() -> Aes.gcmEncrypt(new byte[16], iv, new byte[1], aad))
                .isInstanceOf(CryptoException.class);
    }

    @Test
    void aesCtrMatchesSp80038aF55() {
        byte[] key = hex("603deb1015ca71be2b73aef0857d77811f352c073b6108d72d9810a30914dff4");
        byte[] iv = hex("f0f1f2f3f4f5f6f7f8f9fafbfcfdfeff");
        byte[] ct = Aes.ctr(key, iv, hex("6bc1bee22e409f96e93d7e117393172a"));
        assertThat(HEX.formatHex(ct)).isEqualTo("601ec313775789a5b7a7f504bbf3d228");
        assertThat(HEX.formatHex(Aes.ctr(key, iv, ct))).isEqualTo("6bc1bee22e409f96e93d7e117393172a");
    }

    @Test
    void aesCbcMatchesSp80038aF25AndRejectsBadPadding() {
        byte[] key = hex("603deb1015ca71be2b73aef0857d77811f352c073b6108d72d9810a30914dff4");
        byte[] iv = hex("000102030405060708090a0b0c0d0e0f");
        byte[] ct = Aes.cbcEncrypt(key, iv, hex("6bc1bee22e409f96e93d7e117393172a"));
        // first block is the SP 800-38A F.2.5 vector; the second is the PKCS#7 padding block
        assertThat(HEX.formatHex(ct))
                .startsWith("f58c4c04d6e5f1ba779eabfb5f7bfbd6")
                .hasSize(64);
        assertThat(Aes.cbcDecrypt(key, iv, ct)).isEqualTo(hex("6bc1bee22e409f96e93d7e117393172a"));
        byte[] broken = ct.clone();
        broken[31] ^= 0x55;
        assertThatThrownBy(() -> Aes.cbcDecrypt(key, iv, broken)).isInstanceOf(CryptoException.class);
        assertThatThrownBy(() -> Aes.cbcDecrypt(key, iv, new byte[17])).isInstanceOf(CryptoException.class);
    }

    private static byte[] sha512(byte[] data) {
        try {
            return java.security.MessageDigest.getInstance("SHA-512").digest(data);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }
}
