package dev.linkwell.protocol.signal;

import dev.linkwell.protocol.crypto.Aes;
import dev.linkwell.protocol.crypto.CryptoException;
import dev.linkwell.protocol.crypto.Curve25519;
import dev.linkwell.protocol.crypto.KeyPair;
import dev.linkwell.protocol.crypto.XEdDSA;
import dev.linkwell.protocol.signal.SessionState.PendingPreKey;
import dev.linkwell.protocol.signal.SignalKdf.MessageKeys;
import java.io.ByteArrayOutputStream;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * One-to-one Signal sessions as WhatsApp uses them (libsignal-node 6.0.0 session_builder.js and
 * session_cipher.js are the reference): X3DH from a pre-key bundle or an incoming pre-key message, then
 * the double ratchet with AES-256-CBC, HMAC-SHA256 truncated to 8 bytes, version byte 0x33.
 *
 * <p>Every operation reads what it needs from the {@link SignalStore}, works on copies, and hands all its
 * changes to one {@link SignalStore#commit}; a failure commits nothing. Methods are synchronized: use
 * one instance per store.
 */
public final class SessionCipher {

    private static final int DH_SIZE = 32;

    private final SignalStore store;
    private final IdentityPolicy policy;
    private final SecureRandom random;

    public SessionCipher(SignalStore store, IdentityPolicy policy, SecureRandom random) {
        this.store = Objects.requireNonNull(store, "store");
        this.policy = Objects.requireNonNull(policy, "policy");
        this.random = Objects.requireNonNull(random, "random");
    }

    /** Trust on first use, as WhatsApp clients do, with a default {@link SecureRandom}. */
    public SessionCipher(SignalStore store) {
        this(store, IdentityPolicy.TRUST_ON_FIRST_USE, new SecureRandom());
    }

    /**
     * Starts a session from a device's bundle (X3DH as initiator): checks the signed prekey's signature,
     * derives the root key and our first sending chain. The messages we send are pre-key messages until
     * the peer answers. An open session with the address is closed (kept for late messages).
     *
     * @return true when the bundle's identity key replaced a different stored one (the old sessions are gone)
     */
    public synchronized boolean processPreKeyBundle(SignalAddress address, PreKeyBundle bundle) {
        Objects.requireNonNull(address, "address");
        IdentityKey theirIdentity = bundle.identityKey();
        if (!verifies(
                theirIdentity, Curve25519.toSignalPublicKey(bundle.signedPreKey()), bundle.signedPreKeySignature())) {
            throw new InvalidKeyException("signed prekey signature of " + address + " does not verify");
        }
        Trust trust = trust(address, theirIdentity);
        SessionRecord record = trust == Trust.CHANGED ? new SessionRecord() : load(address);
        KeyPair ours = store.identityKeyPair();
        KeyPair base = KeyPair.generate(random);

        ByteArrayOutputStream secret = masterSecretPrefix();
        secret.writeBytes(SignalKeys.agree(ours.privateKey(), bundle.signedPreKey()));
        secret.writeBytes(SignalKeys.agree(base.privateKey(), theirIdentity.publicKey()));
        secret.writeBytes(SignalKeys.agree(base.privateKey(), bundle.signedPreKey()));
        if (bundle.preKey() != null) {
            secret.writeBytes(SignalKeys.agree(base.privateKey(), bundle.preKey()));
        }
        byte[] rootKey = SignalKdf.derive(secret.toByteArray(), SignalKdf.ZERO_SALT, SignalKdf.INFO_TEXT, 2)[0];

        // As libsignal-node: the initiator ratchets at once against the signed prekey to get a sending chain.
        KeyPair ratchet = KeyPair.generate(random);
        byte[][] step = ratchetStep(rootKey, ratchet, bundle.signedPreKey());
        SessionState state = new SessionState(
                theirIdentity,
                bundle.registrationId(),
                base.publicKey(),
                true,
                step[0],
                ratchet,
                new MessageKeyChain(step[1], 0),
                bundle.signedPreKey());
        state.pendingPreKey = new PendingPreKey(bundle.preKeyId(), bundle.signedPreKeyId(), base.publicKey());
        record.open(state);

        SignalStoreUpdate.Builder update = SignalStoreUpdate.builder().putSession(address, record.toBytes());
        trust.record(update, address, theirIdentity);
        store.commit(update.build());
        return trust == Trust.CHANGED;
    }

    /** Encrypts with the open session: a pre-key message until the peer has answered, else a message. */
    public synchronized EncryptedMessage encrypt(SignalAddress address, byte[] plaintext) {
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(plaintext, "plaintext");
        SessionRecord record = load(address);
        SessionState state = record.current();
        if (state == null) {
            throw new NoSessionException("no open session with " + address);
        }
        requireTrusted(address, state.remoteIdentity);
        if (state.senderChain == null) {
            throw new NoSessionException("session with " + address + " has no sending chain yet");
        }
        IdentityKey ourIdentity = IdentityKey.of(store.identityKeyPair().publicKey());
        int counter = state.senderChain.nextIndex();
        MessageKeys keys = MessageKeys.of(state.senderChain.next());
        byte[] ciphertext = Aes.cbcEncrypt(keys.cipherKey(), keys.iv(), plaintext);
        SignalMessage message = SignalMessage.create(
                state.senderRatchet.publicKey(),
                counter,
                state.previousCounter,
                ciphertext,
                keys.macKey(),
                ourIdentity,
                state.remoteIdentity);

        EncryptedMessage result;
        PendingPreKey pending = state.pendingPreKey;
        if (pending != null) {
            result = new EncryptedMessage(
                    CiphertextType.PKMSG,
                    PreKeySignalMessage.create(
                                    store.registrationId(),
                                    pending.preKeyId(),
                                    pending.signedPreKeyId(),
                                    pending.baseKey(),
                                    ourIdentity,
                                    message)
                            .serialize());
        } else {
            result = new EncryptedMessage(CiphertextType.MSG, message.serialize());
        }
        store.commit(SignalStoreUpdate.builder()
                .putSession(address, record.toBytes())
                .build());
        return result;
    }

    /** Decrypts the body of an {@code <enc type="pkmsg">} or {@code <enc type="msg">}. */
    public DecryptedMessage decrypt(SignalAddress address, CiphertextType type, byte[] body) {
        return switch (type) {
            case PKMSG -> decryptPreKeyMessage(address, body);
            case MSG -> decryptMessage(address, body);
            case SKMSG -> throw new InvalidMessageException("skmsg is a group message: use GroupCipher");
        };
    }

    /**
     * Decrypts a pre-key message. When it starts a new session (X3DH as responder) the open one is closed
     * and the one-time prekey it names is deleted in the same commit; a pre-key message for a session we
     * already have (the peer has not seen our answer yet) just decrypts in it.
     */
    public synchronized DecryptedMessage decryptPreKeyMessage(SignalAddress address, byte[] body) {
        Objects.requireNonNull(address, "address");
        PreKeySignalMessage message = PreKeySignalMessage.parse(body);
        IdentityKey theirIdentity = message.identityKey();
        Trust trust = trust(address, theirIdentity);
        SessionRecord record = trust == Trust.CHANGED ? new SessionRecord() : load(address);
        KeyPair ours = store.identityKeyPair();

        byte[] plaintext;
        OptionalInt consumed = OptionalInt.empty();
        int existing = record.indexOfTheirBaseKey(message.baseKey());
        if (existing >= 0) {
            SessionState state = record.sessions().get(existing).copy();
            plaintext = decryptWith(state, message.message(), ours);
            record.replace(existing, state);
        } else {
            SignedPreKeyRecord signed = store.signedPreKey(message.signedPreKeyId())
                    .map(SignedPreKeyRecord::parse)
                    .orElseThrow(() -> new MissingPreKeyException("no signed prekey " + message.signedPreKeyId()));
            PreKeyRecord oneTime = null;
            if (message.preKeyId().isPresent()) {
                int id = message.preKeyId().getAsInt();
                oneTime = store.preKey(id)
                        .map(PreKeyRecord::parse)
                        .orElseThrow(() -> new MissingPreKeyException("no one-time prekey " + id));
            }
            byte[] theirBase = message.baseKey();
            ByteArrayOutputStream secret = masterSecretPrefix();
            secret.writeBytes(SignalKeys.agree(signed.keyPair().privateKey(), theirIdentity.publicKey()));
            secret.writeBytes(SignalKeys.agree(ours.privateKey(), theirBase));
            secret.writeBytes(SignalKeys.agree(signed.keyPair().privateKey(), theirBase));
            if (oneTime != null) {
                secret.writeBytes(SignalKeys.agree(oneTime.keyPair().privateKey(), theirBase));
            }
            byte[] rootKey = SignalKdf.derive(secret.toByteArray(), SignalKdf.ZERO_SALT, SignalKdf.INFO_TEXT, 2)[0];
            // As libsignal-node: the responder's ratchet key is its signed prekey, and the peer's base key
            // stands for its ratchet key until the first message's ratchet step.
            SessionState state = new SessionState(
                    theirIdentity,
                    message.registrationId(),
                    theirBase,
                    false,
                    rootKey,
                    signed.keyPair(),
                    null,
                    theirBase);
            plaintext = decryptWith(state, message.message(), ours);
            record.open(state);
            if (oneTime != null) {
                consumed = OptionalInt.of(oneTime.id());
            }
        }

        SignalStoreUpdate.Builder update = SignalStoreUpdate.builder().putSession(address, record.toBytes());
        trust.record(update, address, theirIdentity);
        consumed.ifPresent(update::deletePreKey);
        store.commit(update.build());
        return new DecryptedMessage(plaintext, consumed, trust == Trust.CHANGED);
    }

    /**
     * Decrypts a ratchet message with the open session or, failing that, a closed one (a message sent
     * before the peer started over). When none can: {@link DuplicateMessageException} if a session had
     * already used the key, else the most telling failure ({@link InvalidMessageException} before
     * {@link BadMacException}).
     */
    public synchronized DecryptedMessage decryptMessage(SignalAddress address, byte[] body) {
        Objects.requireNonNull(address, "address");
        SignalMessage message = SignalMessage.parse(body);
        SessionRecord record = load(address);
        List<SessionState> sessions = record.sessions();
        if (sessions.isEmpty()) {
            throw new NoSessionException("no session with " + address);
        }
        KeyPair ours = store.identityKeyPair();
        SignalException failure = null;
        for (int i = 0; i < sessions.size(); i++) {
            SessionState state = sessions.get(i).copy();
            byte[] plaintext;
            try {
                plaintext = decryptWith(state, message, ours);
            } catch (SignalException e) {
                failure = moreTelling(failure, e);
                continue;
            }
            requireTrusted(address, state.remoteIdentity);
            record.replace(i, state);
            store.commit(SignalStoreUpdate.builder()
                    .putSession(address, record.toBytes())
                    .build());
            return new DecryptedMessage(plaintext, OptionalInt.empty(), false);
        }
        throw failure;
    }

    /** True when an open session with the address exists (encrypt will not throw {@link NoSessionException}). */
    public synchronized boolean hasSession(SignalAddress address) {
        SessionState current = load(address).current();
        return current != null && current.senderChain != null;
    }

    /** The peer's registration id in the open session. */
    public synchronized OptionalInt remoteRegistrationId(SignalAddress address) {
        SessionState current = load(address).current();
        return current == null ? OptionalInt.empty() : OptionalInt.of(current.remoteRegistrationId);
    }

    /** Forgets every session with the address (e.g. after the server says its identity changed). */
    public synchronized void deleteSession(SignalAddress address) {
        store.commit(SignalStoreUpdate.builder().deleteSession(address).build());
    }

    private byte[] decryptWith(SessionState state, SignalMessage message, KeyPair ours) {
        byte[] theirRatchet = message.ratchetKey();
        MessageKeyChain chain = state.receiverChain(theirRatchet);
        if (chain == null) {
            stepRatchet(state, theirRatchet, message.previousCounter());
            chain = state.receiverChain(theirRatchet);
        }
        MessageKeys keys = MessageKeys.of(chain.seedFor(message.counter()));
        message.verifyMac(keys.macKey(), state.remoteIdentity, IdentityKey.of(ours.publicKey()));
        byte[] plaintext;
        try {
            plaintext = Aes.cbcDecrypt(keys.cipherKey(), keys.iv(), message.ciphertext());
        } catch (CryptoException e) {
            throw new InvalidMessageException("message does not decrypt: " + e.getMessage(), e);
        }
        state.pendingPreKey = null;
        return plaintext;
    }

    /**
     * The peer's new ratchet key: keep the keys of its previous chain up to the counter it says it
     * reached, close that chain, derive the receiving chain, then our new ratchet key and sending chain
     * (libsignal-node session_cipher.js maybeStepRatchet / calculateRatchet).
     */
    private void stepRatchet(SessionState state, byte[] theirRatchet, int previousCounter) {
        MessageKeyChain previous = state.receiverChain(state.lastRemoteRatchet);
        if (previous != null) {
            previous.closeAfter(previousCounter);
        }
        byte[][] receiving = ratchetStep(state.rootKey, state.senderRatchet, theirRatchet);
        state.addReceiverChain(theirRatchet, new MessageKeyChain(receiving[1], 0));
        if (state.senderChain != null) {
            // the counter of our last message on the chain we leave (libsignal sends 0 when there was none)
            state.previousCounter = Math.max(state.senderChain.nextIndex() - 1, 0);
        }
        KeyPair fresh = KeyPair.generate(random);
        byte[][] sending = ratchetStep(receiving[0], fresh, theirRatchet);
        state.rootKey = sending[0];
        state.senderRatchet = fresh;
        state.senderChain = new MessageKeyChain(sending[1], 0);
        state.lastRemoteRatchet = theirRatchet;
    }

    /** HKDF(DH(ours, theirs), salt = root key, "WhisperRatchet") -> {new root key, chain key}. */
    private static byte[][] ratchetStep(byte[] rootKey, KeyPair ours, byte[] theirs) {
        return SignalKdf.derive(SignalKeys.agree(ours.privateKey(), theirs), rootKey, SignalKdf.INFO_RATCHET, 2);
    }

    /** X3DH's 32 bytes of 0xFF before the agreements (the "discontinuity bytes"). */
    private static ByteArrayOutputStream masterSecretPrefix() {
        ByteArrayOutputStream secret = new ByteArrayOutputStream(DH_SIZE * 5);
        byte[] ff = new byte[DH_SIZE];
        Arrays.fill(ff, (byte) 0xff);
        secret.writeBytes(ff);
        return secret;
    }

    private static boolean verifies(IdentityKey key, byte[] message, byte[] signature) {
        try {
            return XEdDSA.verify(key.publicKey(), message, signature);
        } catch (CryptoException e) {
            return false;
        }
    }

    private static SignalException moreTelling(SignalException a, SignalException b) {
        return a == null || rank(b) > rank(a) ? b : a;
    }

    private static int rank(SignalException e) {
        if (e instanceof DuplicateMessageException) {
            return 3;
        }
        if (e instanceof InvalidMessageException) {
            return 2;
        }
        return e instanceof BadMacException ? 1 : 0;
    }

    private SessionRecord load(SignalAddress address) {
        return store.session(address).map(SessionRecord::parse).orElseGet(SessionRecord::new);
    }

    private Optional<IdentityKey> storedIdentity(SignalAddress address) {
        return store.identity(address).map(IdentityKey::parse);
    }

    /** Under {@link IdentityPolicy#STRICT}, a session's identity must still be the stored one. */
    private void requireTrusted(SignalAddress address, IdentityKey sessionIdentity) {
        if (policy == IdentityPolicy.STRICT
                && storedIdentity(address)
                        .filter(stored -> !stored.equals(sessionIdentity))
                        .isPresent()) {
            throw new UntrustedIdentityException(address);
        }
    }

    private Trust trust(SignalAddress address, IdentityKey theirs) {
        Optional<IdentityKey> stored = storedIdentity(address);
        if (stored.isEmpty()) {
            return Trust.FIRST_USE;
        }
        if (stored.get().equals(theirs)) {
            return Trust.KNOWN;
        }
        if (policy == IdentityPolicy.STRICT) {
            throw new UntrustedIdentityException(address);
        }
        return Trust.CHANGED;
    }

    /** How a peer's identity key relates to the stored one. */
    private enum Trust {
        FIRST_USE,
        KNOWN,
        CHANGED;

        void record(SignalStoreUpdate.Builder update, SignalAddress address, IdentityKey identity) {
            if (this != KNOWN) {
                update.putIdentity(address, identity);
            }
        }
    }
}
