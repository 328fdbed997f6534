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

/**
 * The phone accepted our QR (or code): check what it signed, sign it back, and become a device.
 *
 * <p>Facts (Baileys 6.17.16 Utils/validate-connection.js configureSuccessfulPairing; whatsmeow
 * pair.go handlePairSuccess / handlePair):
 * <ul>
 *   <li>{@code <pair-success>} holds {@code <device-identity>} (ADVSignedDeviceIdentityHMAC),
 *       {@code <device jid lid>}, {@code <platform name>} and optionally {@code <biz name>};</li>
 *   <li>hmac = HMAC-SHA256(advSecret, [06 05 if the account is HOSTED] || details);</li>
 *   <li>accountSignature verifies under accountSignatureKey over
 *       {@code 06 00 || details || identityPub} ({@code 06 05} for hosted, whatsmeow);</li>
 *   <li>deviceSignature = XEdDSA(identityPriv, {@code 06 01 || details || identityPub ||
 *       accountSignatureKey}) ({@code 06 06} for hosted);</li>
 *   <li>reply {@code <iq type="result" id=same to="s.whatsapp.net"><pair-device-sign>
 *       <device-identity key-index=N>} with the identity re-encoded without accountSignatureKey.</li>
 * </ul>
 * Unlike Baileys (lenient XEdDSA verify), a bad account signature fails the pairing here.
 */
public final class PairSuccess {

    private static final byte[] HOSTED_PREFIX = {6, 5};
    private static final byte[] ACCOUNT_PREFIX = {6, 0};
    private static final byte[] DEVICE_PREFIX = {6, 1};
    private static final byte[] HOSTED_ACCOUNT_PREFIX = {6, 5};
    private static final byte[] HOSTED_DEVICE_PREFIX = {6, 6};

    private PairSuccess() {
    }

    /** Pairing could not be completed; the message says which check failed. */
    public static final class PairingFailedException extends ProtocolException {
        public PairingFailedException(String message) {
            super(message);
        }
    }

    /** The reply to send and the credentials to persist before sending it. */
    public record Result(Node reply, Credentials credentials, String jid) {
    }

    /** @param iq the whole {@code <iq>} carrying {@code <pair-success>} */
    public static Result handle(Node iq, Credentials creds) {
        Node success = iq.child("pair-success");
        if (success == null) {
            throw new PairingFailedException("iq has no <pair-success>");
        }
        Node identityNode = success.child("device-identity");
        Node deviceNode = success.child("device");
        if (identityNode == null || deviceNode == null || identityNode.contentBytes() == null) {
            throw new PairingFailedException("pair-success lacks device-identity or device");
        }
        String jid = deviceNode.attr("jid");
        Jid parsed = Jid.tryParse(jid);
        if (parsed == null || !parsed.isUser() || parsed.user().isEmpty() || !parsed.user().chars().allMatch(Character::isDigit)) {
            throw new PairingFailedException("pair-success has no usable device jid");
        }
        String lid = deviceNode.attr("lid");
        Node platformNode = success.child("platform");
        Node bizNode = success.child("biz");

        try {
            ADVSignedDeviceIdentityHMAC wrapped = ADVSignedDeviceIdentityHMAC.parseFrom(identityNode.contentBytes());
            boolean hosted = wrapped.hasAccountType() && wrapped.getAccountType() == ADVEncryptionType.HOSTED;
            byte[] details = wrapped.getDetails().toByteArray();
            byte[] expected = hosted ? Hmac.sha256(creds.advSecret(), HOSTED_PREFIX, details)
                    : Hmac.sha256(creds.advSecret(), details);
            if (!Hmac.equal(expected, wrapped.getHmac().toByteArray())) {
                throw new PairingFailedException("device identity HMAC does not match our adv secret");
            }
            ADVSignedDeviceIdentity account = ADVSignedDeviceIdentity.parseFrom(details);
            byte[] accountKey = account.getAccountSignatureKey().toByteArray();
            byte[] deviceDetails = account.getDetails().toByteArray();
            byte[] identityPub = creds.identityKey().publicKey();
            if (accountKey.length != 32 || account.getAccountSignature().size() != 64) {
                throw new PairingFailedException("account signature key or signature missing");
            }
            byte[] accountMsg = PairingCode.concat(hosted ? HOSTED_ACCOUNT_PREFIX : ACCOUNT_PREFIX, deviceDetails, identityPub);
            if (!XEdDSA.verify(accountKey, accountMsg, account.getAccountSignature().toByteArray())) {
                throw new PairingFailedException("account signature over the device identity is invalid");
            }
            byte[] deviceMsg = PairingCode.concat(hosted ? HOSTED_DEVICE_PREFIX : DEVICE_PREFIX, deviceDetails, identityPub, accountKey);
            byte[] deviceSig = XEdDSA.sign(creds.identityKey().privateKey(), deviceMsg);
            ADVSignedDeviceIdentity signed = account.toBuilder().setDeviceSignature(ByteString.copyFrom(deviceSig)).build();
            ADVDeviceIdentity identity = ADVDeviceIdentity.parseFrom(deviceDetails);

            byte[] replyIdentity = signed.toBuilder().clearAccountSignatureKey().build().toByteArray();
            Node reply = Node.builder("iq").attr("to", "s.whatsapp.net").attr("type", "result").attr("id", iq.requireAttr("id"))
                    .child(Node.builder("pair-device-sign")
                            .child(Node.builder("device-identity").attr("key-index", Integer.toString(identity.getKeyIndex()))
                                    .bytes(replyIdentity).build())
                            .build())
                    .build();
            Credentials paired = creds.withPairing(jid, lid, platformNode == null ? null : platformNode.attr("name"),
                    bizNode == null ? null : bizNode.attr("name"), signed.toByteArray());
            return new Result(reply, paired, jid);
        } catch (InvalidProtocolBufferException e) {
            throw new PairingFailedException("device identity is not a valid protobuf: " + e.getMessage());
        }
    }

    /** The error iq whatsmeow sends when pairing fails (pair.go sendPairError). */
    public static Node errorReply(String id, int code, String text) {
        return Node.builder("iq").attr("to", "s.whatsapp.net").attr("type", "error").attr("id", id)
                .child(Node.builder("error").attr("code", Integer.toString(code)).attr("text", text).build())
                .build();
    }
}
