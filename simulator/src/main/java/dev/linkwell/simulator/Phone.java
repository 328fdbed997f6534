package dev.linkwell.simulator;

import com.google.protobuf.ByteString;
import dev.linkwell.protocol.ProtocolException;
import dev.linkwell.protocol.crypto.Aes;
import dev.linkwell.protocol.crypto.Bytes;
import dev.linkwell.protocol.crypto.Curve25519;
import dev.linkwell.protocol.crypto.Hkdf;
import dev.linkwell.protocol.crypto.Hmac;
import dev.linkwell.protocol.crypto.KeyPair;
import dev.linkwell.protocol.crypto.Pbkdf2;
import dev.linkwell.protocol.crypto.XEdDSA;
import dev.linkwell.protocol.proto.ADVDeviceIdentity;
import dev.linkwell.protocol.proto.ADVEncryptionType;
import dev.linkwell.protocol.proto.ADVSignedDeviceIdentity;
import dev.linkwell.protocol.proto.ADVSignedDeviceIdentityHMAC;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * A scripted phone: a WhatsApp account (number + account identity key) that links companions and talks to
 * them. Obtained from {@link WaSimulator#addPhone(String)}; all work goes through its simulator, so a phone
 * is safe to use from any thread. The phone's own crypto lives here too: signing a companion's device
 * identity (ADV) and both halves of the pairing-code key exchange.
 */
public final class Phone {

    private static final SecureRandom RANDOM = new SecureRandom();
    /** HKDF info strings of the pairing-code flow (whatsmeow pair-code.go; Baileys Socket/messages-recv.js). */
    private static final byte[] BUNDLE_INFO =
            "link_code_pairing_key_bundle_encryption_key".getBytes(StandardCharsets.UTF_8);

    private static final byte[] ADV_SECRET_INFO = "adv_secret".getBytes(StandardCharsets.UTF_8);
    private static final byte[] ACCOUNT_PREFIX = {6, 0};
    private static final byte[] HOSTED_PREFIX = {6, 5};

    private final WaSimulator simulator;
    private final String id;
    private final String number;
    private final KeyPair accountKey;
    private final String lidUser;
    private final PhoneProfile profile;
    private final PhoneSignal signal;

    Phone(
            WaSimulator simulator,
            String id,
            String number,
            KeyPair accountKey,
            String lidUser,
            PhoneProfile profile,
            PhoneSignal signal) {
        this.simulator = Objects.requireNonNull(simulator);
        this.id = id;
        this.number = number;
        this.accountKey = accountKey;
        this.lidUser = lidUser;
        this.profile = Objects.requireNonNull(profile);
        this.signal = Objects.requireNonNull(signal);
    }

    /** The phone's own Signal side (identity = the account key, prekeys, sessions with its linked devices). */
    public PhoneSignal signal() {
        return signal;
    }

    public PhoneProfile profile() {
        return profile;
    }

    /** The account's LID, {@code lidUser@lid}. */
    public String lid() {
        return lidUser + "@lid";
    }

    /** The address its messages come from: its LID when {@link PhoneProfile#lidAddressed()}, else its JID. */
    public String senderAddress() {
        return profile.lidAddressed() ? lid() : jid();
    }

    public String id() {
        return id;
    }

    public String number() {
        return number;
    }

    /** The account JID, {@code number@s.whatsapp.net}. */
    public String jid() {
        return number + "@s.whatsapp.net";
    }

    /** The account's LID user part (the simulator invents one per phone). */
    public String lidUser() {
        return lidUser;
    }

    /** The account identity public key (32 bytes): what signs the companion's ADV identity. */
    public byte[] accountPublicKey() {
        return accountKey.publicKey();
    }

    KeyPair accountKey() {
        return accountKey;
    }

    /**
     * Scans a companion's QR text, as the camera would: the ref must be one the server currently shows
     * on a connection that is waiting for pairing. Blocks until the companion answered pair-success with a
     * valid pair-device-sign (or the pairing timeout).
     */
    public LinkedDevice scan(String qrText) {
        return simulator.scan(this, QrCode.parse(qrText));
    }

    /**
     * Enters the 8-character pairing code a companion showed after {@code link_code_companion_reg
     * companion_hello} for this phone's number. Blocks until the link is complete.
     */
    public LinkedDevice enterCode(String code) {
        return simulator.enterCode(this, code);
    }

    /** Sends a text message from this phone to a device (delivered now, or when the device next logs in). */
    public String sendMessage(String deviceJid, String text) {
        return simulator.sendMessage(deviceJid, this, text);
    }

    /** The messages this phone received from linked devices and could read, oldest first. */
    public List<ReceivedMessage> receivedMessages() {
        return simulator.received(this);
    }

    /** Sends a text from this phone, as a member of the group, to a device. */
    public String sendGroupMessage(String groupJid, String deviceJid, String text) {
        return simulator.sendGroupMessage(deviceJid, this, groupJid, text);
    }

    /** This phone's owner writes to {@code chatJid}; the devices linked to this phone get the copy. */
    public String sendFromPhone(String chatJid, String text) {
        return simulator.sendFromPhone(this, chatJid, text);
    }

    /** The name others see in {@code notify}: "Phone" and the number. */
    public String pushName() {
        return "Phone " + number;
    }

    /** The devices linked to this phone's account. */
    public List<LinkedDevice> linkedDevices() {
        return simulator.devices().stream().filter(d -> d.phoneId().equals(id)).toList();
    }

    /** Unlinks every device of this account (each connected one gets {@code 401 device_removed}). */
    public void removeLinkedDevices() {
        for (LinkedDevice d : linkedDevices()) {
            simulator.removeDevice(d.jid());
        }
    }

    // ---------------------------------------------------------------- the phone's crypto

    /**
     * What the phone signs for a companion: details = ADVDeviceIdentity; accountSignature = XEdDSA(account key,
     * 06 00 || details || companionIdentity); the ADVSignedDeviceIdentity wrapped in an HMAC-SHA256 container
     * keyed with the adv secret. A hosted business phone marks the container and the details HOSTED, and both
     * the HMAC input and the account signature then start with 06 05 (whatsmeow 33cfac5 pair.go handlePair /
     * verifyAccountSignature; Baileys 7 Utils/validate-connection.js configureSuccessfulPairing agrees).
     *
     * @param hmacContainer the serialized ADVSignedDeviceIdentityHMAC for {@code <device-identity>}
     */
    record SignedIdentity(byte[] hmacContainer, byte[] details, byte[] accountSignature) {}

    SignedIdentity signDeviceIdentity(int keyIndex, byte[] companionIdentity, byte[] advSecret, Instant now) {
        boolean hosted = profile.hostedBusiness();
        ADVEncryptionType type = hosted ? ADVEncryptionType.HOSTED : ADVEncryptionType.E2EE;
        byte[] details = ADVDeviceIdentity.newBuilder()
                .setRawId(RANDOM.nextInt() & 0x7fffffff)
                .setTimestamp(now.getEpochSecond())
                .setKeyIndex(keyIndex)
                .setAccountType(type)
                .setDeviceType(type)
                .build()
                .toByteArray();
        byte[] accountSignature = XEdDSA.sign(
                accountKey.privateKey(),
                Bytes.concat(hosted ? HOSTED_PREFIX : ACCOUNT_PREFIX, details, companionIdentity));
        byte[] signed = ADVSignedDeviceIdentity.newBuilder()
                .setDetails(ByteString.copyFrom(details))
                .setAccountSignatureKey(ByteString.copyFrom(accountKey.publicKey()))
                .setAccountSignature(ByteString.copyFrom(accountSignature))
                .build()
                .toByteArray();
        ADVSignedDeviceIdentityHMAC.Builder container = ADVSignedDeviceIdentityHMAC.newBuilder()
                .setDetails(ByteString.copyFrom(signed))
                .setHmac(ByteString.copyFrom(
                        hosted ? Hmac.sha256(advSecret, HOSTED_PREFIX, signed) : Hmac.sha256(advSecret, signed)));
        if (hosted) {
            container.setAccountType(ADVEncryptionType.HOSTED);
        }
        return new SignedIdentity(container.build().toByteArray(), details, accountSignature);
    }

    /** The business name a hosted business phone sends in {@code <biz name>}, or null. */
    String businessName() {
        return profile.hostedBusiness() ? number + " Business" : null;
    }

    /**
     * The phone side of a typed code: the companion's ephemeral key unwrapped (PBKDF2-SHA256(code, salt, 131072)
     * + AES-CTR), and a fresh primary ephemeral key wrapped the same way for the notification.
     */
    record CodeEntry(byte[] companionEphemeral, KeyPair primaryEphemeral, byte[] wrappedPrimaryEphemeral) {}

    CodeEntry typeCode(String code, byte[] wrappedCompanionEphemeral) {
        byte[] w = wrappedCompanionEphemeral;
        byte[] companionEphemeral = Aes.ctr(
                Pbkdf2.pairingCodeKey(code, Arrays.copyOfRange(w, 0, 32)),
                Arrays.copyOfRange(w, 32, 48),
                Arrays.copyOfRange(w, 48, 80));
        KeyPair primaryEphemeral = KeyPair.generate();
        byte[] salt = random(32);
        byte[] iv = random(16);
        byte[] wrappedPrimary =
                Bytes.concat(salt, iv, Aes.ctr(Pbkdf2.pairingCodeKey(code, salt), iv, primaryEphemeral.publicKey()));
        return new CodeEntry(companionEphemeral, primaryEphemeral, wrappedPrimary);
    }

    /**
     * Opens the companion's key bundle of companion_finish (salt 32 || iv 12 || AES-GCM(HKDF(DH(ephemerals),
     * salt, "link_code_pairing_key_bundle_encryption_key"), companionIdentity || primaryIdentity || random 32))
     * and derives the adv secret = HKDF(DH(ephemerals) || DH(identities) || random, info "adv_secret").
     *
     * @throws SimulatorException 400 when the bundle does not open (the typed code was wrong) or names other keys
     */
    byte[] openKeyBundle(CodeEntry entry, byte[] bundle, byte[] companionIdentity) {
        byte[] shared = Curve25519.sharedSecret(entry.primaryEphemeral().privateKey(), entry.companionEphemeral());
        byte[] plain;
        try {
            if (bundle.length < 32 + 12 + 16) {
                throw new ProtocolException("key bundle too short");
            }
            byte[] bundleKey = Hkdf.derive(shared, Arrays.copyOfRange(bundle, 0, 32), BUNDLE_INFO, 32);
            plain = Aes.gcmDecrypt(
                    bundleKey,
                    Arrays.copyOfRange(bundle, 32, 44),
                    Arrays.copyOfRange(bundle, 44, bundle.length),
                    new byte[0]);
        } catch (RuntimeException e) {
            throw SimulatorException.badRequest(
                    "the companion's key bundle does not decrypt: the pairing code was wrong");
        }
        if (plain.length != 96
                || !Arrays.equals(Arrays.copyOfRange(plain, 0, 32), companionIdentity)
                || !Arrays.equals(Arrays.copyOfRange(plain, 32, 64), accountKey.publicKey())) {
            throw SimulatorException.badRequest("the companion's key bundle names other keys");
        }
        byte[] identityShared = Curve25519.sharedSecret(accountKey.privateKey(), companionIdentity);
        return Hkdf.derive(
                Bytes.concat(shared, identityShared, Arrays.copyOfRange(plain, 64, 96)),
                new byte[0],
                ADV_SECRET_INFO,
                32);
    }

    private static byte[] random(int n) {
        byte[] b = new byte[n];
        RANDOM.nextBytes(b);
        return b;
    }

    @Override
    public String toString() {
        return "Phone[" + id + ", " + number + "]";
    }
}
