package dev.linkwell.client.pair;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import dev.linkwell.client.store.Credentials;
import dev.linkwell.protocol.ProtocolException;
import dev.linkwell.protocol.binary.Node;
import dev.linkwell.protocol.crypto.Hmac;
import dev.linkwell.protocol.crypto.XEdDSA;
import dev.linkwell.protocol.jid.Jid;
import dev.linkwell.protocol.proto.ADVDeviceIdentity;
import dev.linkwell.protocol.proto.ADVEncryptionType;
import dev.linkwell.protocol.proto.ADVSignedDeviceIdentity;
import dev.linkwell.protocol.proto.ADVSignedDeviceIdentityHMAC;
import dev.linkwell.protocol.stanza.Iq;
import dev.linkwell.protocol.stanza.PairDeviceSign;

/**
 * The phone accepted our QR (or code): check what it signed, sign it back, and become a device.
 *
 * <p>Facts (whatsmeow 33cfac5 pair.go handlePairSuccess / handlePair / verifyAccountSignature /
 * generateDeviceSignature / sendPairError; Baileys 7.0.0-rc14 Utils/validate-connection.js
 * configureSuccessfulPairing, which agrees on every prefix):
 * <ul>
 *   <li>{@code <pair-success>} holds {@code <device-identity>} (ADVSignedDeviceIdentityHMAC),
 *       {@code <device jid lid>}, {@code <platform name>} and optionally {@code <biz name>};</li>
 *   <li>hmac = HMAC-SHA256(advSecret, [06 05 when the HMAC container's accountType is HOSTED] || details);
 *       a mismatch is answered with iq error 401 {@code hmac-mismatch};</li>
 *   <li>accountSignature verifies under accountSignatureKey over {@code 06 00 || details || identityPub},
 *       {@code 06 05} when the device identity's deviceType is HOSTED; a bad one is answered with
 *       401 {@code signature-mismatch};</li>
 *   <li>deviceSignature = XEdDSA(identityPriv, {@code 06 01 || details || identityPub ||
 *       accountSignatureKey}), for hosted accounts too;</li>
 *   <li>reply {@code <iq type="result" id=same to="@s.whatsapp.net"><pair-device-sign>
 *       <device-identity key-index=N>} with the identity re-encoded without accountSignatureKey;
 *       anything unparseable is answered with 500 {@code internal-error}.</li>
 * </ul>
 */
public final class PairSuccess {

    private static final byte[] ACCOUNT_PREFIX = {6, 0};
    private static final byte[] DEVICE_PREFIX = {6, 1};
    private static final byte[] HOSTED_PREFIX = {6, 5};

    private PairSuccess() {}

    /**
     * Pairing could not be completed; the message says which check failed, and {@link #reply} is the
     * error iq whatsmeow answers such a pair-success with.
     */
    public static final class PairingFailedException extends ProtocolException {
        private final int code;
        private final String text;

        PairingFailedException(int code, String text, String message) {
            super(message);
            this.code = code;
            this.text = text;
        }

        public int code() {
            return code;
        }

        /** {@code <iq type="error" id><error code text/></iq>} for the pair-success with this id. */
        public Node reply(String id) {
            return errorReply(id, code, text);
        }
    }

    /** The reply to send and the credentials to persist before sending it. */
    public record Result(Node reply, Credentials credentials, String jid) {}

    private static PairingFailedException malformed(String message) {
        return new PairingFailedException(500, "internal-error", message);
    }

    /** @param iq the whole {@code <iq>} carrying {@code <pair-success>} */
    public static Result handle(Node iq, Credentials creds) {
        dev.linkwell.protocol.stanza.PairSuccess success = dev.linkwell.protocol.stanza.PairSuccess.from(iq)
                .orElseThrow(() -> malformed("iq has no <pair-success>"));
        if (success.deviceIdentity() == null || success.jid() == null) {
            throw malformed("pair-success lacks device-identity or device");
        }
        String jid = success.jid();
        Jid parsed = Jid.tryParse(jid);
        if (parsed == null
                || !parsed.isUser()
                || parsed.user().isEmpty()
                || !parsed.user().chars().allMatch(Character::isDigit)) {
            throw malformed("pair-success has no usable device jid");
        }

        ADVSignedDeviceIdentityHMAC wrapped;
        ADVSignedDeviceIdentity account;
        ADVDeviceIdentity identity;
        try {
            wrapped = ADVSignedDeviceIdentityHMAC.parseFrom(success.deviceIdentity());
            account = ADVSignedDeviceIdentity.parseFrom(wrapped.getDetails());
            identity = ADVDeviceIdentity.parseFrom(account.getDetails());
        } catch (InvalidProtocolBufferException e) {
            throw malformed("device identity is not a valid protobuf: " + e.getMessage());
        }
        byte[] details = wrapped.getDetails().toByteArray();
        boolean hostedAccount = wrapped.hasAccountType() && wrapped.getAccountType() == ADVEncryptionType.HOSTED;
        byte[] expected = hostedAccount
                ? Hmac.sha256(creds.advSecret(), HOSTED_PREFIX, details)
                : Hmac.sha256(creds.advSecret(), details);
        if (!Hmac.equal(expected, wrapped.getHmac().toByteArray())) {
            throw new PairingFailedException(
                    401, "hmac-mismatch", "device identity HMAC does not match our adv secret");
        }
        byte[] accountKey = account.getAccountSignatureKey().toByteArray();
        byte[] deviceDetails = account.getDetails().toByteArray();
        byte[] identityPub = creds.identityKey().publicKey();
        boolean hostedDevice = identity.getDeviceType() == ADVEncryptionType.HOSTED;
        byte[] accountMsg =
                PairingCode.concat(hostedDevice ? HOSTED_PREFIX : ACCOUNT_PREFIX, deviceDetails, identityPub);
        if (accountKey.length != 32
                || account.getAccountSignature().size() != 64
                || !verifies(
                        accountKey, accountMsg, account.getAccountSignature().toByteArray())) {
            throw new PairingFailedException(
                    401, "signature-mismatch", "account signature over the device identity is missing or invalid");
        }
        byte[] deviceMsg = PairingCode.concat(DEVICE_PREFIX, deviceDetails, identityPub, accountKey);
        byte[] deviceSig = XEdDSA.sign(creds.identityKey().privateKey(), deviceMsg);
        ADVSignedDeviceIdentity signed = account.toBuilder()
                .setDeviceSignature(ByteString.copyFrom(deviceSig))
                .build();

        byte[] replyIdentity =
                signed.toBuilder().clearAccountSignatureKey().build().toByteArray();
        Node reply = new PairDeviceSign(iq.requireAttr("id"), Integer.toString(identity.getKeyIndex()), replyIdentity)
                .toNode();
        Credentials paired =
                creds.withPairing(jid, success.lid(), success.platform(), success.businessName(), signed.toByteArray());
        return new Result(reply, paired, jid);
    }

    private static boolean verifies(byte[] key, byte[] message, byte[] signature) {
        try {
            return XEdDSA.verify(key, message, signature);
        } catch (ProtocolException e) {
            return false;
        }
    }

    /** The error iq whatsmeow sends when pairing fails (pair.go sendPairError). */
    public static Node errorReply(String id, int code, String text) {
        return Iq.clientError(id, null, code, text);
    }
}
