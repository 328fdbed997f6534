package dev.linkwell.protocol.signal;

import dev.linkwell.protocol.crypto.XEdDSA;
import java.util.Objects;
import java.util.OptionalInt;

/**
 * What a sender needs to start a session with a device: what the server returns for a prekey fetch
 * ({@code <iq xmlns="encrypt" type="get"><key><user jid/></key>}: registration, identity, one
 * one-time key when any are left, and the signed prekey). Public keys are 32 bytes or 33 with 0x05.
 *
 * @param registrationId       the device's registration id
 * @param identityKey          the device's identity key
 * @param signedPreKeyId       signed prekey id
 * @param signedPreKey         signed prekey public key
 * @param signedPreKeySignature XEdDSA signature of {@code 0x05 || signedPreKey} by the identity key
 * @param preKeyId             one-time prekey id; empty when the server had none left
 * @param preKey               one-time prekey public key; null exactly when {@code preKeyId} is empty
 */
public record PreKeyBundle(
        int registrationId,
        IdentityKey identityKey,
        int signedPreKeyId,
        byte[] signedPreKey,
        byte[] signedPreKeySignature,
        OptionalInt preKeyId,
        byte[] preKey) {

    public PreKeyBundle {
        Objects.requireNonNull(identityKey, "identityKey");
        Objects.requireNonNull(preKeyId, "preKeyId");
        signedPreKey = SignalKeys.publicKey(signedPreKey, "signed prekey");
        if (signedPreKeySignature == null || signedPreKeySignature.length != XEdDSA.SIGNATURE_SIZE) {
            throw new InvalidKeyException("signed prekey signature must be 64 bytes");
        }
        signedPreKeySignature = signedPreKeySignature.clone();
        if (preKeyId.isPresent() != (preKey != null)) {
            throw new IllegalArgumentException("a one-time prekey needs both its id and its key");
        }
        preKey = preKey == null ? null : SignalKeys.publicKey(preKey, "one-time prekey");
    }

    /** A bundle without a one-time prekey. */
    public static PreKeyBundle withoutPreKey(
            int registrationId,
            IdentityKey identityKey,
            int signedPreKeyId,
            byte[] signedPreKey,
            byte[] signedPreKeySignature) {
        return new PreKeyBundle(
                registrationId,
                identityKey,
                signedPreKeyId,
                signedPreKey,
                signedPreKeySignature,
                OptionalInt.empty(),
                null);
    }

    /** The 32-byte signed prekey. */
    @Override
    public byte[] signedPreKey() {
        return signedPreKey.clone();
    }

    @Override
    public byte[] signedPreKeySignature() {
        return signedPreKeySignature.clone();
    }

    /** The 32-byte one-time prekey, or null. */
    @Override
    public byte[] preKey() {
        return preKey == null ? null : preKey.clone();
    }

    @Override
    public String toString() {
        return "PreKeyBundle[registrationId=" + registrationId + ", signedPreKeyId=" + signedPreKeyId + ", preKeyId="
                + preKeyId + "]";
    }
}
