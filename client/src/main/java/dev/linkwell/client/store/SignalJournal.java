package dev.linkwell.client.store;

import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The {@code signal-journal} blob: the blob writes of one Signal commit, in order ({@link CredentialSignalStore}).
 *
 * <pre>
 *   magic "LWSJ" (4 bytes), format u8 = 1, count u32
 *   per entry: name length u16, name (UTF-8), then u32 length and the bytes to write, or 0xFFFFFFFF to delete
 * </pre>
 */
final class SignalJournal {

    private static final byte[] MAGIC = {'L', 'W', 'S', 'J'};
    private static final int FORMAT = 1;
    private static final int DELETE = -1;

    private SignalJournal() {}

    /** @param writes blob name to its new content, or to null for a delete */
    static byte[] encode(Map<String, byte[]> writes) {
        int size = 4 + 1 + 4;
        for (Map.Entry<String, byte[]> e : writes.entrySet()) {
            size += 2
                    + e.getKey().getBytes(StandardCharsets.UTF_8).length
                    + 4
                    + (e.getValue() == null ? 0 : e.getValue().length);
        }
        ByteBuffer b = ByteBuffer.allocate(size).put(MAGIC).put((byte) FORMAT).putInt(writes.size());
        writes.forEach((name, data) -> {
            byte[] n = name.getBytes(StandardCharsets.UTF_8);
            b.putShort((short) n.length).put(n);
            if (data == null) {
                b.putInt(DELETE);
            } else {
                b.putInt(data.length).put(data);
            }
        });
        return b.array();
    }

    /** @throws CredentialsCodec.CorruptCredentialsException when the blob is not a complete journal */
    static Map<String, byte[]> decode(byte[] journal) {
        try {
            ByteBuffer b = ByteBuffer.wrap(journal);
            byte[] magic = new byte[4];
            b.get(magic);
            int format = b.get();
            if (!Arrays.equals(magic, MAGIC) || format != FORMAT) {
                throw new CredentialsCodec.CorruptCredentialsException("signal journal of an unknown format");
            }
            int count = b.getInt();
            Map<String, byte[]> writes = new LinkedHashMap<>();
            for (int i = 0; i < count; i++) {
                byte[] name = new byte[Short.toUnsignedInt(b.getShort())];
                b.get(name);
                int length = b.getInt();
                byte[] data = null;
                if (length != DELETE) {
                    data = new byte[length];
                    b.get(data);
                }
                writes.put(new String(name, StandardCharsets.UTF_8), data);
            }
            if (b.hasRemaining()) {
                throw new CredentialsCodec.CorruptCredentialsException("signal journal has trailing bytes");
            }
            return writes;
        } catch (BufferUnderflowException | NegativeArraySizeException e) {
            throw new CredentialsCodec.CorruptCredentialsException("signal journal is truncated");
        }
    }
}
