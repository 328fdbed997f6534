package dev.linkwell.protocol.signal;

import dev.linkwell.protocol.crypto.Aes;
import dev.linkwell.protocol.crypto.CryptoException;
import dev.linkwell.protocol.crypto.KeyPair;
import dev.linkwell.protocol.crypto.XEdDSA;
import dev.linkwell.protocol.signal.SignalKdf.GroupMessageKey;
import java.security.SecureRandom;
import java.util.Objects;

/**
 * Group messages with sender keys, as Baileys 7.0.0-rc14 (Signal/Group) and whatsmeow
 * (go.mau.fi/libsignal groups) do them. Each sender has a chain key and a signing key per group; it hands
 * both to every member in a {@link SenderKeyDistributionMessage} (inside a 1:1 encrypted message), then
 * sends one {@code skmsg} to all: AES-256-CBC under the iteration's key, signed with XEdDSA.
 *
 * <p>Bounds as for 1:1 chains ({@link MessageKeyChain}): 2000 iterations ahead at most, 2000 skipped keys
 * kept per sender key, 5 sender keys per sender and group. Methods are synchronized: use one instance
 * per store. Every change goes to the store in one commit; a failure commits nothing.
 */
public final class GroupCipher {

    private final SignalStore store;
    private final SecureRandom random;

    public GroupCipher(SignalStore store, SecureRandom random) {
        this.store = Objects.requireNonNull(store, "store");
        this.random = Objects.requireNonNull(random, "random");
    }

    public GroupCipher(SignalStore store) {
        this(store, new SecureRandom());
    }

    /**
     * Our distribution message for a group ({@code ours} names the group and our own address), creating our
     * sender key when there is none: a random 31-bit id (Baileys keyhelper.generateSenderKeyId), a random
     * chain key and a fresh signing key. It carries the chain at its current iteration.
     */
    public synchronized byte[] distributionMessage(SenderKeyName ours) {
        SenderKeyRecord record = load(ours);
        SenderKeyState state = record.newest();
        if (state == null || state.signingPrivate == null) {
            byte[] chainKey = new byte[32];
            random.nextBytes(chainKey);
            KeyPair signing = KeyPair.generate(random);
            state = new SenderKeyState(
                    random.nextInt(Integer.MAX_VALUE),
                    new MessageKeyChain(chainKey, 0),
                    signing.publicKey(),
                    signing.privateKey());
            record.replaceAll(state);
            store.commit(SignalStoreUpdate.builder()
                    .putSenderKey(ours, record.toBytes())
                    .build());
        }
        return SenderKeyDistributionMessage.create(
                        state.keyId, state.chain.nextIndex(), state.chain.chainKey(), state.signingPublic)
                .serialize();
    }

    /** Stores a member's sender key from its distribution message. */
    public synchronized void processDistributionMessage(SenderKeyName sender, byte[] distributionMessage) {
        SenderKeyDistributionMessage message = SenderKeyDistributionMessage.parse(distributionMessage);
        SenderKeyRecord record = load(sender);
        record.add(new SenderKeyState(
                message.keyId(),
                new MessageKeyChain(message.chainKey(), message.iteration()),
                message.signingKey(),
                null));
        store.commit(SignalStoreUpdate.builder()
                .putSenderKey(sender, record.toBytes())
                .build());
    }

    /** Encrypts with our sender key; {@link NoSessionException} until {@link #distributionMessage} created it. */
    public synchronized byte[] encrypt(SenderKeyName ours, byte[] plaintext) {
        Objects.requireNonNull(plaintext, "plaintext");
        SenderKeyRecord record = load(ours);
        SenderKeyState state = record.newest();
        if (state == null || state.signingPrivate == null) {
            throw new NoSessionException("no own sender key for " + ours);
        }
        int iteration = state.chain.nextIndex();
        GroupMessageKey key = GroupMessageKey.of(state.chain.next());
        byte[] ciphertext = Aes.cbcEncrypt(key.cipherKey(), key.iv(), plaintext);
        byte[] z = new byte[XEdDSA.RANDOM_SIZE];
        random.nextBytes(z);
        byte[] message = SenderKeyMessage.create(state.keyId, iteration, ciphertext, state.signingPrivate, z)
                .serialize();
        store.commit(
                SignalStoreUpdate.builder().putSenderKey(ours, record.toBytes()).build());
        return message;
    }

    /** Decrypts a member's {@code skmsg}: signature first, then the iteration's key. */
    public synchronized byte[] decrypt(SenderKeyName sender, byte[] senderKeyMessage) {
        SenderKeyMessage message = SenderKeyMessage.parse(senderKeyMessage);
        SenderKeyRecord record = load(sender);
        if (record.isEmpty()) {
            throw new NoSessionException("no sender key for " + sender);
        }
        SenderKeyState state = record.byId(message.keyId());
        if (state == null) {
            throw new NoSessionException(
                    "no sender key " + Integer.toUnsignedString(message.keyId()) + " for " + sender);
        }
        message.verifySignature(state.signingPublic);
        GroupMessageKey key = GroupMessageKey.of(state.chain.seedFor(message.iteration()));
        byte[] plaintext;
        try {
            plaintext = Aes.cbcDecrypt(key.cipherKey(), key.iv(), message.ciphertext());
        } catch (CryptoException e) {
            throw new InvalidMessageException("group message does not decrypt: " + e.getMessage(), e);
        }
        store.commit(SignalStoreUpdate.builder()
                .putSenderKey(sender, record.toBytes())
                .build());
        return plaintext;
    }

    /** True when a sender key for the name is stored (ours after {@link #distributionMessage}, or a member's). */
    public synchronized boolean hasSenderKey(SenderKeyName name) {
        return !load(name).isEmpty();
    }

    /**
     * Forgets a sender key. For our own it means a new key at the next {@link #distributionMessage}, which
     * WhatsApp clients do when a member leaves the group.
     */
    public synchronized void deleteSenderKey(SenderKeyName name) {
        store.commit(SignalStoreUpdate.builder().deleteSenderKey(name).build());
    }

    private SenderKeyRecord load(SenderKeyName name) {
        Objects.requireNonNull(name, "name");
        return store.senderKey(name).map(SenderKeyRecord::parse).orElseGet(SenderKeyRecord::new);
    }
}
