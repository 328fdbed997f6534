package dev.linkwell.protocol.signal;

import com.google.protobuf.ByteString;
import dev.linkwell.protocol.crypto.Curve25519;
import dev.linkwell.protocol.crypto.KeyPair;
import dev.linkwell.protocol.proto.StoredPendingPreKey;
import dev.linkwell.protocol.proto.StoredReceiverChain;
import dev.linkwell.protocol.proto.StoredSession;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.OptionalInt;

/**
 * One double-ratchet session with a peer device: what libsignal-node keeps in a SessionEntry
 * (session_record.js). Mutable; the cipher works on a {@link #copy()} and keeps it only when the
 * message authenticates.
 *
 * <p>At most {@link #MAX_RECEIVER_CHAINS} receiving chains are kept, the oldest dropped first
 * (go.mau.fi/libsignal maxReceiverChains, libsignal MAX_RECEIVER_CHAINS; libsignal-node keeps them
 * all): a message older than five ratchet steps of the peer no longer decrypts.
 */
final class SessionState {

    static final int MAX_RECEIVER_CHAINS = 5;

    /** What a session we started must announce in every message until the peer answers. */
    record PendingPreKey(OptionalInt preKeyId, int signedPreKeyId, byte[] baseKey) {}

    private record ReceiverChain(byte[] ratchetKey, MessageKeyChain chain) {}

    final IdentityKey remoteIdentity;
    final int remoteRegistrationId;
    final byte[] baseKey;
    final boolean baseKeyOurs;
    byte[] rootKey;
    KeyPair senderRatchet;
    /** Null for a responder until its first ratchet step (which the first message makes at once). */
    MessageKeyChain senderChain;

    int previousCounter;
    byte[] lastRemoteRatchet;
    PendingPreKey pendingPreKey;
    private final List<ReceiverChain> receiverChains;

    SessionState(
            IdentityKey remoteIdentity,
            int remoteRegistrationId,
            byte[] baseKey,
            boolean baseKeyOurs,
            byte[] rootKey,
            KeyPair senderRatchet,
            MessageKeyChain senderChain,
            byte[] lastRemoteRatchet) {
        this(
                remoteIdentity,
                remoteRegistrationId,
                baseKey,
                baseKeyOurs,
                rootKey,
                senderRatchet,
                senderChain,
                0,
                lastRemoteRatchet,
                null,
                new ArrayList<>());
    }

    private SessionState(
            IdentityKey remoteIdentity,
            int remoteRegistrationId,
            byte[] baseKey,
            boolean baseKeyOurs,
            byte[] rootKey,
            KeyPair senderRatchet,
            MessageKeyChain senderChain,
            int previousCounter,
            byte[] lastRemoteRatchet,
            PendingPreKey pendingPreKey,
            List<ReceiverChain> receiverChains) {
        this.remoteIdentity = remoteIdentity;
        this.remoteRegistrationId = remoteRegistrationId;
        this.baseKey = baseKey;
        this.baseKeyOurs = baseKeyOurs;
        this.rootKey = rootKey;
        this.senderRatchet = senderRatchet;
        this.senderChain = senderChain;
        this.previousCounter = previousCounter;
        this.lastRemoteRatchet = lastRemoteRatchet;
        this.pendingPreKey = pendingPreKey;
        this.receiverChains = receiverChains;
    }

    SessionState copy() {
        List<ReceiverChain> chains = new ArrayList<>(receiverChains.size());
        for (ReceiverChain c : receiverChains) {
            chains.add(new ReceiverChain(c.ratchetKey, c.chain.copy()));
        }
        return new SessionState(
                remoteIdentity,
                remoteRegistrationId,
                baseKey,
                baseKeyOurs,
                rootKey,
                senderRatchet,
                senderChain == null ? null : senderChain.copy(),
                previousCounter,
                lastRemoteRatchet,
                pendingPreKey,
                chains);
    }

    /** The receiving chain for the peer's ratchet key, or null. */
    MessageKeyChain receiverChain(byte[] ratchetKey) {
        for (ReceiverChain c : receiverChains) {
            if (Arrays.equals(c.ratchetKey, ratchetKey)) {
                return c.chain;
            }
        }
        return null;
    }

    void addReceiverChain(byte[] ratchetKey, MessageKeyChain chain) {
        receiverChains.add(new ReceiverChain(ratchetKey, chain));
        if (receiverChains.size() > MAX_RECEIVER_CHAINS) {
            receiverChains.remove(0);
        }
    }

    int receiverChainCount() {
        return receiverChains.size();
    }

    boolean hasBaseKey(byte[] key, boolean ours) {
        return baseKeyOurs == ours && Arrays.equals(baseKey, key);
    }

    StoredSession toStored() {
        StoredSession.Builder b = StoredSession.newBuilder()
                .setRemoteIdentity(ByteString.copyFrom(remoteIdentity.publicKey()))
                .setRemoteRegistrationId(remoteRegistrationId)
                .setRootKey(ByteString.copyFrom(rootKey))
                .setSenderRatchetPrivate(ByteString.copyFrom(senderRatchet.privateKey()))
                .setPreviousCounter(previousCounter)
                .setLastRemoteRatchetKey(ByteString.copyFrom(lastRemoteRatchet))
                .setBaseKey(ByteString.copyFrom(baseKey))
                .setBaseKeyOurs(baseKeyOurs);
        if (senderChain != null) {
            b.setSenderChainKey(ByteString.copyFrom(senderChain.chainKey()))
                    .setSenderChainIndex(senderChain.nextIndex());
        }
        for (ReceiverChain c : receiverChains) {
            StoredReceiverChain.Builder rc = StoredReceiverChain.newBuilder()
                    .setRatchetKey(ByteString.copyFrom(c.ratchetKey))
                    .setNextIndex(c.chain.nextIndex())
                    .addAllSkipped(c.chain.storedSkipped());
            if (!c.chain.closed()) {
                rc.setChainKey(ByteString.copyFrom(c.chain.chainKey()));
            }
            b.addReceiverChains(rc);
        }
        if (pendingPreKey != null) {
            StoredPendingPreKey.Builder p = StoredPendingPreKey.newBuilder()
                    .setSignedPreKeyId(pendingPreKey.signedPreKeyId())
                    .setBaseKey(ByteString.copyFrom(pendingPreKey.baseKey()));
            pendingPreKey.preKeyId().ifPresent(p::setPreKeyId);
            b.setPendingPreKey(p);
        }
        return b.build();
    }

    static SessionState fromStored(StoredSession s) {
        if (!s.hasRemoteIdentity()
                || !s.hasRootKey()
                || !s.hasSenderRatchetPrivate()
                || !s.hasLastRemoteRatchetKey()
                || !s.hasBaseKey()
                || s.getRootKey().size() != 32
                || s.getSenderRatchetPrivate().size() != 32
                || s.getPreviousCounter() < 0
                || s.getReceiverChainsCount() > MAX_RECEIVER_CHAINS
                || s.hasSenderChainKey() != s.hasSenderChainIndex()) {
            throw new CorruptStateException("stored session is incomplete");
        }
        MessageKeyChain sender = s.hasSenderChainKey()
                ? MessageKeyChain.restore(s.getSenderChainKey().toByteArray(), s.getSenderChainIndex(), List.of())
                : null;
        List<ReceiverChain> chains = new ArrayList<>();
        for (StoredReceiverChain rc : s.getReceiverChainsList()) {
            chains.add(new ReceiverChain(
                    key32(rc.getRatchetKey()),
                    MessageKeyChain.restore(
                            rc.hasChainKey() ? rc.getChainKey().toByteArray() : null,
                            rc.getNextIndex(),
                            rc.getSkippedList())));
        }
        PendingPreKey pending = null;
        if (s.hasPendingPreKey()) {
            StoredPendingPreKey p = s.getPendingPreKey();
            pending = new PendingPreKey(
                    p.hasPreKeyId() ? OptionalInt.of(p.getPreKeyId()) : OptionalInt.empty(),
                    p.getSignedPreKeyId(),
                    key32(p.getBaseKey()));
        }
        IdentityKey identity = IdentityKey.parse(s.getRemoteIdentity().toByteArray());
        return new SessionState(
                identity,
                s.getRemoteRegistrationId(),
                key32(s.getBaseKey()),
                s.getBaseKeyOurs(),
                s.getRootKey().toByteArray(),
                KeyPair.fromPrivateKey(s.getSenderRatchetPrivate().toByteArray()),
                sender,
                s.getPreviousCounter(),
                key32(s.getLastRemoteRatchetKey()),
                pending,
                chains);
    }

    private static byte[] key32(ByteString b) {
        if (b.size() != Curve25519.KEY_SIZE) {
            throw new CorruptStateException("stored public key must be 32 bytes, got " + b.size());
        }
        return b.toByteArray();
    }
}
