package dev.linkwell.protocol.signal;

import com.google.protobuf.ByteString;
import dev.linkwell.protocol.crypto.CryptoException;
import dev.linkwell.protocol.crypto.XEdDSA;
import java.util.Arrays;

/**
 * A group message ({@code <enc type="skmsg">}): {@code 0x33 || protobuf SenderKeyMessage || signature},
 * the 64-byte XEdDSA signature by the sender's signing key over everything before it (Baileys
 * 7.0.0-rc14 Signal/Group/sender-key-message.js; whatsmeow go.mau.fi/libsignal protocol/SenderKeyMessage.go).
 */
public final class SenderKeyMessage {

    private final int keyId;
    private final int iteration;
    private final byte[] ciphertext;
    private final byte[] serialized;

    private SenderKeyMessage(int keyId, int iteration, byte[] ciphertext, byte[] serialized) {
        this.keyId = keyId;
        this.iteration = iteration;
        this.ciphertext = ciphertext;
        this.serialized = serialized;
    }

    /** Builds and signs; {@code random} is 64 fresh bytes for XEdDSA. */
    public static SenderKeyMessage create(
            int keyId, int iteration, byte[] ciphertext, byte[] signingPrivateKey, byte[] random) {
        byte[] body = dev.linkwell.protocol.proto.SenderKeyMessage.newBuilder()
                .setId(keyId)
                .setIteration(iteration)
                .setCiphertext(ByteString.copyFrom(ciphertext))
                .build()
                .toByteArray();
        byte[] out = WireFormat.frame(body, XEdDSA.SIGNATURE_SIZE);
        int signedLength = out.length - XEdDSA.SIGNATURE_SIZE;
        byte[] signature = XEdDSA.sign(signingPrivateKey, Arrays.copyOf(out, signedLength), random);
        System.arraycopy(signature, 0, out, signedLength, XEdDSA.SIGNATURE_SIZE);
        return new SenderKeyMessage(keyId, iteration, ciphertext.clone(), out);
    }

    /** Parses the wire bytes; the signature is checked with {@link #verifySignature} once the key is known. */
    public static SenderKeyMessage parse(byte[] serialized) {
        dev.linkwell.protocol.proto.SenderKeyMessage p = WireFormat.body(
                serialized,
                XEdDSA.SIGNATURE_SIZE,
                dev.linkwell.protocol.proto.SenderKeyMessage.parser(),
                "sender key message");
        if (!p.hasId() || !p.hasIteration() || !p.hasCiphertext()) {
            throw new InvalidMessageException("sender key message lacks id, iteration or ciphertext");
        }
        if (p.getIteration() < 0) {
            throw new InvalidMessageException("sender key iteration out of range");
        }
        return new SenderKeyMessage(
                p.getId(), p.getIteration(), p.getCiphertext().toByteArray(), serialized.clone());
    }

    /** Throws {@link BadMacException} unless the signature verifies with {@code signingPublicKey}. */
    public void verifySignature(byte[] signingPublicKey) {
        int signedLength = serialized.length - XEdDSA.SIGNATURE_SIZE;
        boolean valid;
        try {
            valid = XEdDSA.verify(
                    signingPublicKey,
                    Arrays.copyOf(serialized, signedLength),
                    Arrays.copyOfRange(serialized, signedLength, serialized.length));
        } catch (CryptoException e) {
            valid = false;
        }
        if (!valid) {
            throw new BadMacException("sender key message signature does not verify");
        }
    }

    /** The sender key id (uint32 on the wire; compare as is). */
    public int keyId() {
        return keyId;
    }

    public int iteration() {
        return iteration;
    }

    public byte[] ciphertext() {
        return ciphertext.clone();
    }

    public byte[] serialize() {
        return serialized.clone();
    }
}
