package dev.linkwell.simulator;

/** A one-time prekey a device uploaded with {@code <iq xmlns="encrypt" type="set">}. */
public record UploadedPreKey(int id, byte[] publicKey) {

    public UploadedPreKey {
        publicKey = publicKey == null ? new byte[0] : publicKey.clone();
    }

    @Override
    public byte[] publicKey() {
        return publicKey.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof UploadedPreKey k && id == k.id && java.util.Arrays.equals(publicKey, k.publicKey);
    }

    @Override
    public int hashCode() {
        return 31 * id + java.util.Arrays.hashCode(publicKey);
    }

    @Override
    public String toString() {
        return "UploadedPreKey[id=" + id + "]";
    }
}
