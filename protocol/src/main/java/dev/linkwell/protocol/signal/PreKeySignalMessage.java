package dev.linkwell.protocol.signal;

import com.google.protobuf.ByteString;
import dev.linkwell.protocol.crypto.Curve25519;
import java.util.OptionalInt;

/**
 * The first messages of a session we started ({@code <enc type="pkmsg">}; libsignal-node's
 * PreKeyWhisperMessage): {@code 0x33 || protobuf PreKeySignalMessage}, carrying our registration id,
 * the receiver's one-time prekey id (when the bundle had one) and signed prekey id, our X3DH base key,
 * our identity key and the first {@link SignalMessage}. Keys are in their 33-byte form.
 */
public final class PreKeySignalMessage {

    private final int registrationId;
    private final OptionalInt preKeyId;
    private final int signedPreKeyId;
    private final byte[] baseKey;
    private final IdentityKey identityKey;
    private final SignalMessage message;
    private final byte[] serialized;

    private PreKeySignalMessage(
            int registrationId,
            OptionalInt preKeyId,
            int signedPreKeyId,
            byte[] baseKey,
            IdentityKey identityKey,
            SignalMessage message,
            byte[] serialized) {
        this.registrationId = registrationId;
        this.preKeyId = preKeyId;
        this.signedPreKeyId = signedPreKeyId;
        this.baseKey = baseKey;
        this.identityKey = identityKey;
        this.message = message;
        this.serialized = serialized;
    }

    public static PreKeySignalMessage create(
            int registrationId,
            OptionalInt preKeyId,
            int signedPreKeyId,
            byte[] baseKey,
            IdentityKey identityKey,
            SignalMessage message) {
        dev.linkwell.protocol.proto.PreKeySignalMessage.Builder b =
                dev.linkwell.protocol.proto.PreKeySignalMessage.newBuilder()
                        .setRegistrationId(registrationId)
                        .setSignedPreKeyId(signedPreKeyId)
                        .setBaseKey(ByteString.copyFrom(Curve25519.toSignalPublicKey(baseKey)))
                        .setIdentityKey(ByteString.copyFrom(identityKey.serialize()))
                        .setMessage(ByteString.copyFrom(message.serialize()));
        preKeyId.ifPresent(b::setPreKeyId);
        byte[] out = WireFormat.frame(b.build().toByteArray(), 0);
        return new PreKeySignalMessage(
                registrationId, preKeyId, signedPreKeyId, baseKey.clone(), identityKey, message, out);
    }

    public static PreKeySignalMessage parse(byte[] serialized) {
        dev.linkwell.protocol.proto.PreKeySignalMessage p = WireFormat.body(
                serialized, 0, dev.linkwell.protocol.proto.PreKeySignalMessage.parser(), "pre-key message");
        if (!p.hasBaseKey() || !p.hasIdentityKey() || !p.hasMessage() || !p.hasSignedPreKeyId()) {
            throw new InvalidMessageException("pre-key message lacks base key, identity, message or signed prekey id");
        }
        byte[] base = WireFormat.publicKey(p.getBaseKey(), "base key");
        IdentityKey identity = IdentityKey.of(WireFormat.publicKey(p.getIdentityKey(), "identity key"));
        SignalMessage inner = SignalMessage.parse(p.getMessage().toByteArray());
        OptionalInt preKey = p.hasPreKeyId() ? OptionalInt.of(p.getPreKeyId()) : OptionalInt.empty();
        return new PreKeySignalMessage(
                p.getRegistrationId(), preKey, p.getSignedPreKeyId(), base, identity, inner, serialized.clone());
    }

    public int registrationId() {
        return registrationId;
    }

    public OptionalInt preKeyId() {
        return preKeyId;
    }

    public int signedPreKeyId() {
        return signedPreKeyId;
    }

    /** The sender's 32-byte X3DH base key. */
    public byte[] baseKey() {
        return baseKey.clone();
    }

    public IdentityKey identityKey() {
        return identityKey;
    }

    public SignalMessage message() {
        return message;
    }

    public byte[] serialize() {
        return serialized.clone();
    }
}
