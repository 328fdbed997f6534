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
}
