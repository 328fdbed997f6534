package dev.linkwell.service.storage.crypto;

import java.util.Arrays;
import java.util.HexFormat;
import java.util.Optional;

/**
 * The layout of a sealed credential record (version 1), the same in every backend:
 *
 * <pre>
 *  0  magic and version   8  00 FF 'L' 'W' 'E' 'N' 'C' 01
 *  8  key id              8  the id of the master key that wrapped the data key
 * 16  wrap nonce         12
 * 28  wrapped data key   48  AES-256-GCM of the record's own 32-byte data key under the master key,
 *                            authenticated with bytes 0..16
 * 76  payload nonce      12
 * 88  payload             n  AES-256-GCM of the blob under the data key (ciphertext and 16-byte tag),
 *                            authenticated with bytes 0..8 and "session id / blob name", so a record
 *                            copied to another blob or session does not open
 * </pre>
 *
 * Rotating the master key rewrites only bytes 8..76. A plain blob (written with no key) is anything that
 * does not start with the magic; blobs of Linkwell's engines never start with a NUL byte.
 */
public final class Envelope {

    static final byte[] MAGIC = {0x00, (byte) 0xFF, 'L', 'W', 'E', 'N', 'C', 0x01};
    static final int KEY_ID_LENGTH = 8;
    /** Magic and key id: enough to tell which key a record needs. */
    public static final int HEADER_LENGTH = MAGIC.length + KEY_ID_LENGTH;

    static final int NONCE_LENGTH = 12;
    static final int TAG_LENGTH = 16;
    static final int DATA_KEY_LENGTH = 32;
    static final int WRAP_NONCE_OFFSET = HEADER_LENGTH;
    static final int WRAPPED_KEY_OFFSET = WRAP_NONCE_OFFSET + NONCE_LENGTH;
    static final int PAYLOAD_NONCE_OFFSET = WRAPPED_KEY_OFFSET + DATA_KEY_LENGTH + TAG_LENGTH;
    static final int PAYLOAD_OFFSET = PAYLOAD_NONCE_OFFSET + NONCE_LENGTH;
    /** Bytes a sealed record has beyond its blob. */
    public static final int OVERHEAD = PAYLOAD_OFFSET + TAG_LENGTH;

    private Envelope() {}

    /** Whether the record (or its first {@link #HEADER_LENGTH} bytes) is sealed. */
    public static boolean isSealed(byte[] record) {
        return record.length >= HEADER_LENGTH && Arrays.equals(record, 0, MAGIC.length, MAGIC, 0, MAGIC.length);
    }

    /** The id of the key that sealed the record, or empty for a plain blob; takes a whole record or its header. */
    public static Optional<String> keyId(byte[] record) {
        if (!isSealed(record)) {
            return Optional.empty();
        }
        return Optional.of(HexFormat.of().formatHex(record, MAGIC.length, HEADER_LENGTH));
    }
}
