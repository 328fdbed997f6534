package dev.linkwell.protocol.signal;

import com.google.protobuf.ByteString;
import dev.linkwell.protocol.crypto.Curve25519;
import dev.linkwell.protocol.crypto.Hmac;
import java.util.Arrays;

/**
 * A ratchet message ({@code <enc type="msg">}; libsignal-node's WhisperMessage):
 * {@code 0x33 || protobuf SignalMessage || mac}, where mac is the first 8 bytes of
 * HMAC-SHA256(macKey, senderIdentity(33) || receiverIdentity(33) || 0x33 || protobuf)
 * (libsignal-node session_cipher.js encrypt / doDecryptWhisperMessage).
 */
public final class SignalMessage {

    public static final int MAC_SIZE = 8;

    private final byte[] ratchetKey;
    private final int counter;
    private final int previousCounter;
    private final byte[] ciphertext;
    private final byte[] serialized;

    private SignalMessage(byte[] ratchetKey, int counter, int previousCounter, byte[] ciphertext, byte[] serialized) {
        this.ratchetKey = ratchetKey;
        this.counter = counter;
        this.previousCounter = previousCounter;
        this.ciphertext = ciphertext;
        this.serialized = serialized;
    }

    /** Builds and MACs a message; {@code ratchetKey} is our 32-byte ratchet public key. */
    public static SignalMessage create(
            byte[] ratchetKey,
            int counter,
            int previousCounter,
            byte[] ciphertext,
            byte[] macKey,
            IdentityKey sender,
            IdentityKey receiver) {
        byte[] body = dev.linkwell.protocol.proto.SignalMessage.newBuilder()
                .setRatchetKey(ByteString.copyFrom(Curve25519.toSignalPublicKey(ratchetKey)))
                .setCounter(counter)
                .setPreviousCounter(previousCounter)
                .setCiphertext(ByteString.copyFrom(ciphertext))
                .build()
                .toByteArray();
        byte[] out = WireFormat.frame(body, MAC_SIZE);
        byte[] mac = mac(macKey, sender, receiver, out, body.length);
        System.arraycopy(mac, 0, out, 1 + body.length, MAC_SIZE);
        return new SignalMessage(ratchetKey.clone(), counter, previousCounter, ciphertext.clone(), out);
    }

    /** Parses the wire bytes; the MAC is checked later, with {@link #verifyMac}, once the keys are known. */
    public static SignalMessage parse(byte[] serialized) {
        dev.linkwell.protocol.proto.SignalMessage p = WireFormat.body(
                serialized, MAC_SIZE, dev.linkwell.protocol.proto.SignalMessage.parser(), "Signal message");
        if (!p.hasRatchetKey() || !p.hasCounter() || !p.hasCiphertext()) {
            throw new InvalidMessageException("Signal message lacks ratchet key, counter or ciphertext");
        }
        if (p.getCounter() < 0) {
            throw new InvalidMessageException("Signal message counter out of range");
        }
        return new SignalMessage(
                WireFormat.publicKey(p.getRatchetKey(), "ratchet key"),
                p.getCounter(),
                p.getPreviousCounter(),
                p.getCiphertext().toByteArray(),
                serialized.clone());
    }

    /** Throws {@link BadMacException} unless the MAC matches (constant-time comparison). */
    public void verifyMac(byte[] macKey, IdentityKey sender, IdentityKey receiver) {
        int bodyLength = serialized.length - 1 - MAC_SIZE;
        byte[] expected = mac(macKey, sender, receiver, serialized, bodyLength);
        byte[] actual = Arrays.copyOfRange(serialized, 1 + bodyLength, serialized.length);
        if (!Hmac.equal(expected, actual)) {
            throw new BadMacException("Signal message MAC does not match");
        }
    }

    private static byte[] mac(byte[] macKey, IdentityKey sender, IdentityKey receiver, byte[] message, int bodyLength) {
        byte[] full = Hmac.sha256(
                macKey, sender.serialize(), receiver.serialize(), Arrays.copyOfRange(message, 0, 1 + bodyLength));
        return Arrays.copyOf(full, MAC_SIZE);
    }

    /** The sender's 32-byte ratchet public key. */
    public byte[] ratchetKey() {
        return ratchetKey.clone();
    }

    public int counter() {
        return counter;
    }

    /**
     * Counter of the sender's last message on its previous chain. Negative when the uint32 on the wire is
     * 2^31 or more (libsignal-node sends 2^32-1 for "none"); callers treat that as unknown.
     */
    public int previousCounter() {
        return previousCounter;
    }

    public byte[] ciphertext() {
        return ciphertext.clone();
    }

    public byte[] serialize() {
        return serialized.clone();
    }
}
