package dev.linkwell.service.storage;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.zip.CRC32;

/**
 * Run in a child JVM by {@link CrashSafetyTest}: rewrites one credential blob as fast as it can, each
 * version a different size with a checksum, and prints the number of every version once
 * {@code write} returned. The test kills it with SIGKILL at a random moment.
 */
public final class CrashingWriter {

    private CrashingWriter() {}

    public static void main(String[] args) {
        FileCredentialStore store = new FileCredentialStore(Path.of(args[0]));
        for (long version = 1; ; version++) {
            store.write("crash", "creds", encode(version));
            System.out.println(version);
            System.out.flush();
        }
    }

    /** version, then 1 to 64 KiB of bytes derived from it, then a CRC32 of all that. */
    static byte[] encode(long version) {
        int size = 1 + (int) ((version * 7919) % 65536);
        ByteBuffer buffer = ByteBuffer.allocate(8 + size + 8);
        buffer.putLong(version);
        for (int i = 0; i < size; i++) {
            buffer.put((byte) (version + i));
        }
        CRC32 crc = new CRC32();
        crc.update(buffer.array(), 0, 8 + size);
        buffer.putLong(crc.getValue());
        return buffer.array();
    }

    /** The version in a complete blob, or -1 if the blob is torn or corrupt. */
    static long decode(byte[] blob) {
        if (blob.length < 17) {
            return -1;
        }
        ByteBuffer buffer = ByteBuffer.wrap(blob);
        long version = buffer.getLong();
        CRC32 crc = new CRC32();
        crc.update(blob, 0, blob.length - 8);
        long stored = buffer.getLong(blob.length - 8);
        return crc.getValue() == stored && blob.length == encode(version).length ? version : -1;
    }
}
