package dev.linkwell.protocol.signal;

import java.util.Objects;
import java.util.OptionalInt;

/**
 * A decrypted 1:1 message. Its state changes are already committed to the {@link SignalStore}.
 *
 * @param plaintext        the plaintext (still padded, see {@link WhatsAppPadding})
 * @param consumedPreKeyId the one-time prekey this pre-key message used; the store was told to delete it
 *                         in the same commit (the engine may want to count what is left on the server)
 * @param identityChanged  the peer's identity key differs from the one stored before; under
 *                         {@link IdentityPolicy#TRUST_ON_FIRST_USE} the new key replaced it and the old
 *                         sessions were dropped
 */
public record DecryptedMessage(byte[] plaintext, OptionalInt consumedPreKeyId, boolean identityChanged) {

    public DecryptedMessage {
        plaintext = plaintext.clone();
        Objects.requireNonNull(consumedPreKeyId, "consumedPreKeyId");
    }

    @Override
    public byte[] plaintext() {
        return plaintext.clone();
    }

    @Override
    public String toString() {
        return "DecryptedMessage[" + plaintext.length + " bytes, consumedPreKeyId=" + consumedPreKeyId
                + ", identityChanged=" + identityChanged + "]";
    }
}
