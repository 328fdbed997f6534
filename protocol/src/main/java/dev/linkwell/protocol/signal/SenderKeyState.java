package dev.linkwell.protocol.signal;

import com.google.protobuf.ByteString;
import dev.linkwell.protocol.crypto.Curve25519;
import dev.linkwell.protocol.proto.StoredSenderKeyState;
import java.security.MessageDigest;

/**
 * One sender key: its id, the chain (iteration = the chain's next index) and the signing key; the
 * private signing key only in our own.
 */
final class SenderKeyState {

    final int keyId;
    final byte[] signingPublic;
    final byte[] signingPrivate;
    final MessageKeyChain chain;

    SenderKeyState(int keyId, MessageKeyChain chain, byte[] signingPublic, byte[] signingPrivate) {
        this.keyId = keyId;
        this.chain = chain;
        this.signingPublic = signingPublic;
        this.signingPrivate = signingPrivate;
    }

    boolean sameSigningKey(byte[] signing) {
        return MessageDigest.isEqual(signingPublic, signing);
    }

    StoredSenderKeyState toStored() {
        StoredSenderKeyState.Builder b = StoredSenderKeyState.newBuilder()
                .setKeyId(keyId)
                .setIteration(chain.nextIndex())
                .setChainKey(ByteString.copyFrom(chain.chainKey()))
                .setSigningPublic(ByteString.copyFrom(signingPublic))
                .addAllSkipped(chain.storedSkipped());
        if (signingPrivate != null) {
            b.setSigningPrivate(ByteString.copyFrom(signingPrivate));
        }
        return b.build();
    }

    static SenderKeyState fromStored(StoredSenderKeyState s) {
        if (!s.hasKeyId()
                || !s.hasChainKey()
                || s.getSigningPublic().size() != Curve25519.KEY_SIZE
                || (s.hasSigningPrivate() && s.getSigningPrivate().size() != Curve25519.KEY_SIZE)) {
            throw new CorruptStateException("stored sender key is incomplete");
        }
        MessageKeyChain chain =
                MessageKeyChain.restore(s.getChainKey().toByteArray(), s.getIteration(), s.getSkippedList());
        return new SenderKeyState(
                s.getKeyId(),
                chain,
                s.getSigningPublic().toByteArray(),
                s.hasSigningPrivate() ? s.getSigningPrivate().toByteArray() : null);
    }
}
