package dev.linkwell.protocol.signal;

import dev.linkwell.protocol.crypto.KeyPair;
import java.util.Optional;

/**
 * Where the Signal layer keeps its state, as opaque bytes. Reads are per item; every change of one
 * operation (a decrypted pre-key message stores the session and the peer's identity and deletes the
 * used one-time prekey) arrives as one {@link SignalStoreUpdate} through {@link #commit}, which the
 * implementation must apply atomically: all of it or nothing. An operation that fails commits nothing.
 *
 * <p>Bytes handed out may be kept by the caller; implementations must not hand out an array they go
 * on using. The bytes hold private keys: persist them as credentials (0600, atomic writes).
 */
public interface SignalStore {

    /** Our identity key pair. */
    KeyPair identityKeyPair();

    /** Our registration id. */
    int registrationId();

    /** The session record for a peer device. */
    Optional<byte[]> session(SignalAddress address);

    /** A one-time prekey ({@link PreKeyRecord#toBytes()}). */
    Optional<byte[]> preKey(int id);

    /** A signed prekey ({@link SignedPreKeyRecord#toBytes()}). */
    Optional<byte[]> signedPreKey(int id);

    /** The identity key trusted for a peer device ({@link IdentityKey#serialize()}). */
    Optional<byte[]> identity(SignalAddress address);

    /** A sender key record (ours or a group member's). */
    Optional<byte[]> senderKey(SenderKeyName name);

    /** Applies every change of one operation at once. */
    void commit(SignalStoreUpdate update);
}
