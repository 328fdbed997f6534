package dev.linkwell.protocol.signal;

import com.google.protobuf.ByteString;
import dev.linkwell.protocol.crypto.Curve25519;

/**
 * Hands a sender's group key to one recipient, inside a 1:1 encrypted {@code Message}
 * ({@code senderKeyDistributionMessage.axolotlSenderKeyDistributionMessage}):
 * {@code 0x33 || protobuf SenderKeyDistributionMessage{id, iteration, chainKey, signingKey(33)}}
 * (Baileys 7.0.0-rc14 Signal/Group/sender-key-distribution-message.js).
 */
public final class SenderKeyDistributionMessage {

    public static final int CHAIN_KEY_SIZE = 32;

    private final int keyId;
    private final int iteration;
    private final byte[] chainKey;
    private final byte[] signingKey;
    private final byte[] serialized;

    private SenderKeyDistributionMessage(
            int keyId, int iteration, byte[] chainKey, byte[] signingKey, byte[] serialized) {
        this.keyId = keyId;
        this.iteration = iteration;
        this.chainKey = chainKey;
        this.signingKey = signingKey;
        this.serialized = serialized;
    }

    /** {@code signingKey} is the 32-byte public key; it is sent in its 33-byte form. */
    public static SenderKeyDistributionMessage create(int keyId, int iteration, byte[] chainKey, byte[] signingKey) {
        byte[] body = dev.linkwell.protocol.proto.SenderKeyDistributionMessage.newBuilder()
                .setId(keyId)
                .setIteration(iteration)
                .setChainKey(ByteString.copyFrom(chainKey))
                .setSigningKey(ByteString.copyFrom(Curve25519.toSignalPublicKey(signingKey)))
                .build()
                .toByteArray();
        byte[] out = WireFormat.frame(body, 0);
        return new SenderKeyDistributionMessage(keyId, iteration, chainKey.clone(), signingKey.clone(), out);
    }

    public static SenderKeyDistributionMessage parse(byte[] serialized) {
        dev.linkwell.protocol.proto.SenderKeyDistributionMessage p = WireFormat.body(
                serialized,
                0,
                dev.linkwell.protocol.proto.SenderKeyDistributionMessage.parser(),
                "sender key distribution message");
        if (!p.hasId() || !p.hasIteration() || !p.hasChainKey() || !p.hasSigningKey()) {
            throw new InvalidMessageException(
                    "sender key distribution message lacks id, iteration, chain or signing key");
        }
        if (p.getChainKey().size() != CHAIN_KEY_SIZE) {
            throw new InvalidMessageException(
                    "sender chain key must be 32 bytes, got " + p.getChainKey().size());
        }
        if (p.getIteration() < 0) {
            throw new InvalidMessageException("sender key iteration out of range");
        }
        return new SenderKeyDistributionMessage(
                p.getId(),
                p.getIteration(),
                p.getChainKey().toByteArray(),
                WireFormat.publicKey(p.getSigningKey(), "signing key"),
                serialized.clone());
    }

    public int keyId() {
        return keyId;
    }

    public int iteration() {
        return iteration;
    }

    public byte[] chainKey() {
        return chainKey.clone();
    }

    /** The 32-byte signing public key. */
    public byte[] signingKey() {
        return signingKey.clone();
    }

    public byte[] serialize() {
        return serialized.clone();
    }
}
