package dev.linkwell.client.pair;

import dev.linkwell.protocol.ProtocolException;
import dev.linkwell.protocol.binary.Node;
import dev.linkwell.protocol.crypto.Aes;
import dev.linkwell.protocol.crypto.Bytes;
import dev.linkwell.protocol.crypto.Curve25519;
import dev.linkwell.protocol.crypto.Hkdf;
import dev.linkwell.protocol.crypto.KeyPair;
import dev.linkwell.protocol.crypto.Pbkdf2;
import dev.linkwell.protocol.stanza.LinkCode;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Arrays;

/**
 * Linking with a phone number and an 8-character code instead of a QR.
 *
 * <p>Facts (whatsmeow 33cfac5 pair-code.go PairPhone / handleCodePairNotification; Baileys 7.0.0-rc14
 * Socket/socket.js requestPairingCode, Socket/messages-recv.js 'link_code_companion_reg',
 * Utils/crypto.js derivePairingCodeKey, Utils/generics.js bytesToCrockford):
 * <ol>
 *   <li>code = base32 over {@code 123456789ABCDEFGHJKLMNPQRSTVWXYZ} of 5 random bytes = 8 characters;</li>
 *   <li>companion_hello is a query: it carries salt(32) || iv(16) || AES-256-CTR(key, iv, companion
 *       ephemeral pub) with key = PBKDF2-HMAC-SHA256(code, salt, 131072 iterations, 32 bytes), the noise
 *       key, the web client type id, the {@code "<Browser> (<OS>)"} display and a one-byte zero nonce
 *       (whatsmeow {@code []byte{0}}; whatsapp-rust PR #976 found WA Web sends the same). Its answer
 *       holds {@code link_code_pairing_ref}; an error answer (400 for a bad display) ends the attempt;</li>
 *   <li>the phone answers with a {@code link_code_companion_reg} notification holding the pairing ref
 *       (it must be the one the hello's answer gave, whatsmeow checks it), its identity key and its own
 *       ephemeral key wrapped the same way;</li>
 *   <li>companion_finish carries linkCodeSalt(32) || iv(12) || AES-GCM(HKDF(DH(eph, primaryEph),
 *       linkCodeSalt, "link_code_pairing_key_bundle_encryption_key"), companionIdentity ||
 *       primaryIdentity || random(32)); the new adv secret is HKDF(DH(eph, primaryEph) ||
 *       DH(identity, primaryIdentity) || random, no salt, "adv_secret", 32).</li>
 * </ol>
 */
public final class PairingCode {

    /** Baileys CROCKFORD_CHARACTERS: digits 1-9 and letters without I, O, U. */
    static final String ALPHABET = "123456789ABCDEFGHJKLMNPQRSTVWXYZ";

    private static final String BUNDLE_INFO = "link_code_pairing_key_bundle_encryption_key";
    private static final String ADV_INFO = "adv_secret";

    private final String code;
    private final KeyPair ephemeral;
    private final String phone;

    private PairingCode(String code, KeyPair ephemeral, String phone) {
        this.code = code;
        this.ephemeral = ephemeral;
        this.phone = phone;
    }

    /** A fresh code and ephemeral key for the phone number (digits only). */
    public static PairingCode create(String phoneDigits, SecureRandom random) {
        // whatsmeow PairPhone: more than 6 digits, international form (no leading 0)
        if (!phoneDigits.matches("[1-9][0-9]{6,19}")) {
            throw new IllegalArgumentException(
                    "phone number must be 7 to 20 digits with the country code, not starting with 0");
        }
        byte[] five = new byte[5];
        random.nextBytes(five);
        return new PairingCode(toCrockford(five), KeyPair.generate(random), phoneDigits);
    }

    public String code() {
        return code;
    }

    /** The companion's ephemeral public key (what companion_hello wraps); for conformance tests. */
    byte[] ephemeralPublic() {
        return ephemeral.publicKey();
    }

    public String phoneJid() {
        return phone + "@s.whatsapp.net";
    }

    /** Base32 over the alphabet above, most significant bits first, last group zero-padded. */
    public static String toCrockford(byte[] bytes) {
        StringBuilder sb = new StringBuilder((bytes.length * 8 + 4) / 5);
        int acc = 0;
        int bits = 0;
        for (byte b : bytes) {
            acc = (acc << 8) | (b & 0xff);
            bits += 8;
            while (bits >= 5) {
                sb.append(ALPHABET.charAt((acc >>> (bits - 5)) & 31));
                bits -= 5;
            }
            acc &= (1 << bits) - 1;
        }
        if (bits > 0) {
            sb.append(ALPHABET.charAt((acc << (5 - bits)) & 31));
        }
        return sb.toString();
    }

    /** PBKDF2-HMAC-SHA256(code, salt, 131072, 32): the key that wraps both ephemeral keys. */
    public static byte[] codeKey(String code, byte[] salt) {
        return Pbkdf2.sha256(code.toCharArray(), salt, Pbkdf2.PAIRING_CODE_ITERATIONS, 32);
    }

    /** salt(32) || iv(16) || AES-CTR(codeKey, iv, publicKey). */
    public static byte[] wrap(String code, byte[] publicKey, SecureRandom random) {
        byte[] salt = new byte[32];
        byte[] iv = new byte[16];
        random.nextBytes(salt);
        random.nextBytes(iv);
        byte[] enc = Aes.ctr(codeKey(code, salt), iv, publicKey);
        return concat(salt, iv, enc);
    }

    /** Inverse of {@link #wrap}. */
    public static byte[] unwrap(String code, byte[] wrapped) {
        if (wrapped == null || wrapped.length != 80) {
            throw new ProtocolException("wrapped ephemeral key must be 80 bytes");
        }
        byte[] salt = Arrays.copyOfRange(wrapped, 0, 32);
        byte[] iv = Arrays.copyOfRange(wrapped, 32, 48);
        return Aes.ctr(codeKey(code, salt), iv, Arrays.copyOfRange(wrapped, 48, 80));
    }

    /**
     * The {@code iq xmlns=md} that asks the server to send the code to the phone.
     *
     * @param clientTypeId web client type id ({@link dev.linkwell.protocol.pair.CompanionPlatform})
     * @param display      {@code "<Browser> (<OS>)"}, checked by the server
     */
    public Node companionHello(
            String id, byte[] noisePublic, String clientTypeId, String display, SecureRandom random) {
        return new LinkCode.Hello(
                        id, phoneJid(), wrap(code, ephemeral.publicKey(), random), noisePublic, clientTypeId, display)
                .toNode();
    }

    /**
     * The pairing ref in the server's answer to companion_hello
     * ({@code <iq type="result"><link_code_companion_reg><link_code_pairing_ref>}).
     *
     * @throws ProtocolException when the answer is an error or lacks the ref; the message says which
     */
    public static String pairingRef(Node answer) {
        return LinkCode.Hello.refIn(answer);
    }

    /** What companion_finish carries and the adv secret it establishes. */
    public record Finish(Node iq, byte[] advSecret) {}

    /**
     * Handles the phone's {@code link_code_companion_reg} notification.
     *
     * @param expectedRef the ref from the answer to companion_hello ({@link #pairingRef})
     * @param reg the {@code <link_code_companion_reg>} child of the notification
     */
    public Finish finish(Node reg, String expectedRef, String id, KeyPair identity, SecureRandom random) {
        LinkCode.PrimaryHello phone = LinkCode.PrimaryHello.from(reg);
        if (phone.ref() == null || phone.primaryIdentity() == null || phone.wrappedPrimaryEphemeral() == null) {
            throw new ProtocolException(
                    "link_code_companion_reg lacks the ref, the primary identity or its wrapped key");
        }
        if (!expectedRef.equals(phone.ref())) {
            throw new ProtocolException("the phone's notification names another pairing ref than the server gave us");
        }
        byte[] primaryIdentity = phone.primaryIdentity();
        byte[] primaryEphemeral = unwrap(code, phone.wrappedPrimaryEphemeral());

        byte[] ephemeralShared = Curve25519.sharedSecret(ephemeral.privateKey(), primaryEphemeral);
        byte[] bundleSalt = new byte[32];
        byte[] iv = new byte[12];
        byte[] extra = new byte[32];
        random.nextBytes(bundleSalt);
        random.nextBytes(iv);
        random.nextBytes(extra);
        byte[] bundleKey = Hkdf.derive(ephemeralShared, bundleSalt, BUNDLE_INFO.getBytes(StandardCharsets.UTF_8), 32);
        byte[] sealed =
                Aes.gcmEncrypt(bundleKey, iv, concat(identity.publicKey(), primaryIdentity, extra), new byte[0]);
        byte[] identityShared = Curve25519.sharedSecret(identity.privateKey(), primaryIdentity);
        byte[] advSecret = Hkdf.derive(
                concat(ephemeralShared, identityShared, extra), null, ADV_INFO.getBytes(StandardCharsets.UTF_8), 32);
        Node iq = new LinkCode.Finish(id, phoneJid(), concat(bundleSalt, iv, sealed), identity.publicKey(), phone.ref())
                .toNode();
        return new Finish(iq, advSecret);
    }

    static byte[] concat(byte[]... parts) {
        return Bytes.concat(parts);
    }

    @Override
    public String toString() {
        return "PairingCode[phone=" + phone + "]";
    }
}
