package dev.linkwell.protocol.signal;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import dev.linkwell.protocol.crypto.Curve25519;
import dev.linkwell.protocol.crypto.KeyPair;
import dev.linkwell.protocol.crypto.XEdDSA;
import dev.linkwell.protocol.proto.StoredSignedPreKey;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Objects;

/**
 * Our signed prekey: id, key pair, and the identity key's XEdDSA signature over the 33-byte public key
 * ({@code 0x05 || pub}), as libsignal-node keyhelper.generateSignedPreKey and WhatsApp's registration
 * payload carry it.
 */
public record SignedPreKeyRecord(int id, KeyPair keyPair, byte[] signature) {

    static final int FORMAT_VERSION = 1;

    public SignedPreKeyRecord {
        Objects.requireNonNull(keyPair, "keyPair");
        if (id < 0) {
            throw new IllegalArgumentException("signed prekey id out of range: " + id);
        }
        if (signature == null || signature.length != XEdDSA.SIGNATURE_SIZE) {
            throw new IllegalArgumentException("signature must be 64 bytes");
        }
        signature = signature.clone();
    }

    /** A new key pair signed by {@code identity}. */
    public static SignedPreKeyRecord generate(int id, KeyPair identity, SecureRandom random) {
        KeyPair pair = KeyPair.generate(random);
        byte[] z = new byte[XEdDSA.RANDOM_SIZE];
        random.nextBytes(z);
        return new SignedPreKeyRecord(id, pair, XEdDSA.sign(identity.privateKey(), pair.signalPublicKey(), z));
    }

    @Override
    public byte[] signature() {
        return signature.clone();
    }

    /** Storage bytes (protobuf {@code StoredSignedPreKey}); they hold the private key. */
    public byte[] toBytes() {
        return StoredSignedPreKey.newBuilder()
                .setFormatVersion(FORMAT_VERSION)
                .setId(id)
                .setPrivateKey(ByteString.copyFrom(keyPair.privateKey()))
                .setSignature(ByteString.copyFrom(signature))
                .build()
                .toByteArray();
    }

    public static SignedPreKeyRecord parse(byte[] stored) {
        StoredSignedPreKey p;
        try {
            p = StoredSignedPreKey.parseFrom(stored);
        } catch (InvalidProtocolBufferException e) {
            throw new CorruptStateException("stored signed prekey does not parse", e);
        }
        if (p.getFormatVersion() != FORMAT_VERSION
                || !p.hasId()
                || p.getId() < 0
                || p.getPrivateKey().size() != Curve25519.KEY_SIZE
                || p.getSignature().size() != XEdDSA.SIGNATURE_SIZE) {
            throw new CorruptStateException("stored signed prekey is incomplete or of an unknown format");
        }
        return new SignedPreKeyRecord(
                p.getId(),
                KeyPair.fromPrivateKey(p.getPrivateKey().toByteArray()),
                p.getSignature().toByteArray());
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SignedPreKeyRecord s
                && id == s.id
                && keyPair.equals(s.keyPair)
                && Arrays.equals(signature, s.signature);
    }

    @Override
    public int hashCode() {
        return id;
    }

    @Override
    public String toString() {
        return "SignedPreKeyRecord[id=" + id + "]";
    }
}
