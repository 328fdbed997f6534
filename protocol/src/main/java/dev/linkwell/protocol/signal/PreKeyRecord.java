package dev.linkwell.protocol.signal;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import dev.linkwell.protocol.crypto.Curve25519;
import dev.linkwell.protocol.crypto.KeyPair;
import dev.linkwell.protocol.proto.StoredPreKey;
import java.security.SecureRandom;
import java.util.Objects;

/**
 * A one-time prekey we uploaded: its id (24 bits on WhatsApp's wire) and key pair.
 *
 * @param id      prekey id
 * @param keyPair the key pair
 */
public record PreKeyRecord(int id, KeyPair keyPair) {

    static final int FORMAT_VERSION = 1;

    public PreKeyRecord {
        Objects.requireNonNull(keyPair, "keyPair");
        if (id < 0) {
            throw new IllegalArgumentException("prekey id out of range: " + id);
        }
    }

    public static PreKeyRecord generate(int id, SecureRandom random) {
        return new PreKeyRecord(id, KeyPair.generate(random));
    }

    /** Storage bytes (protobuf {@code StoredPreKey}); they hold the private key. */
    public byte[] toBytes() {
        return StoredPreKey.newBuilder()
                .setFormatVersion(FORMAT_VERSION)
                .setId(id)
                .setPrivateKey(ByteString.copyFrom(keyPair.privateKey()))
                .build()
                .toByteArray();
    }

    public static PreKeyRecord parse(byte[] stored) {
        StoredPreKey p;
        try {
            p = StoredPreKey.parseFrom(stored);
        } catch (InvalidProtocolBufferException e) {
            throw new CorruptStateException("stored prekey does not parse", e);
        }
        if (p.getFormatVersion() != FORMAT_VERSION
                || !p.hasId()
                || p.getId() < 0
                || p.getPrivateKey().size() != Curve25519.KEY_SIZE) {
            throw new CorruptStateException("stored prekey is incomplete or of an unknown format");
        }
        return new PreKeyRecord(
                p.getId(), KeyPair.fromPrivateKey(p.getPrivateKey().toByteArray()));
    }

    @Override
    public String toString() {
        return "PreKeyRecord[id=" + id + "]";
    }
}
