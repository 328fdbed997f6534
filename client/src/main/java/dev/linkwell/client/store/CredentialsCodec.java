package dev.linkwell.client.store;

import dev.linkwell.protocol.crypto.KeyPair;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The {@code creds} blob format, version 1: a small tagged binary layout that is easy to read in any
 * language and tolerant of additions.
 *
 * <pre>
 *   magic  "LWCR"  (4 bytes)
 *   format u16 = 1
 *   then fields until the end: tag u8, length u32 (big-endian), value (length bytes)
 * </pre>
 * Integers are 4-byte big-endian, strings UTF-8, key pairs private(32)||public(32). Readers skip tags
 * they do not know, so a newer writer can add fields without breaking an older reader; a newer
 * <em>format</em> number is refused rather than guessed at.
 */
public final class CredentialsCodec {

    static final byte[] MAGIC = {'L', 'W', 'C', 'R'};
    static final int FORMAT = 1;

    private static final int NOISE_KEY = 1;
    private static final int IDENTITY_KEY = 2;
    private static final int REGISTRATION_ID = 3;
    private static final int SIGNED_PRE_KEY_ID = 4;
    private static final int SIGNED_PRE_KEY = 5;
    private static final int SIGNED_PRE_KEY_SIGNATURE = 6;
    private static final int ADV_SECRET = 7;
    private static final int ME = 8;
    private static final int LID = 9;
    private static final int PLATFORM = 10;
    private static final int BUSINESS_NAME = 11;
    private static final int ACCOUNT = 12;
    private static final int NEXT_PRE_KEY_ID = 13;
    private static final int FIRST_UNUPLOADED_PRE_KEY_ID = 14;

    private CredentialsCodec() {}

    public static byte[] encode(Credentials c) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(512);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.write(MAGIC);
            out.writeShort(FORMAT);
            field(out, NOISE_KEY, keyPair(c.noiseKey()));
            field(out, IDENTITY_KEY, keyPair(c.identityKey()));
            field(out, REGISTRATION_ID, int32(c.registrationId()));
            field(out, SIGNED_PRE_KEY_ID, int32(c.signedPreKey().id()));
            field(out, SIGNED_PRE_KEY, keyPair(c.signedPreKey().keyPair()));
            field(out, SIGNED_PRE_KEY_SIGNATURE, c.signedPreKey().signature());
            field(out, ADV_SECRET, c.advSecret());
            string(out, ME, c.me());
            string(out, LID, c.lid());
            string(out, PLATFORM, c.platform());
            string(out, BUSINESS_NAME, c.businessName());
            if (c.account() != null) {
                field(out, ACCOUNT, c.account());
            }
            field(out, NEXT_PRE_KEY_ID, int32(c.nextPreKeyId()));
            field(out, FIRST_UNUPLOADED_PRE_KEY_ID, int32(c.firstUnuploadedPreKeyId()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /** @throws CorruptCredentialsException when the blob is not a complete version-1 credentials blob */
    public static Credentials decode(byte[] blob) {
        try {
            ByteBuffer in = ByteBuffer.wrap(blob);
            byte[] magic = new byte[4];
            in.get(magic);
            if (!Arrays.equals(magic, MAGIC)) {
                throw new CorruptCredentialsException("not a credentials blob (bad magic)");
            }
            int format = Short.toUnsignedInt(in.getShort());
            if (format != FORMAT) {
                throw new CorruptCredentialsException(
                        "credentials format " + format + " is not supported (this build reads " + FORMAT + ")");
            }
            byte[][] v = new byte[32][];
            while (in.hasRemaining()) {
                int tag = Byte.toUnsignedInt(in.get());
                int len = in.getInt();
                if (len < 0 || len > in.remaining()) {
                    throw new CorruptCredentialsException("truncated field " + tag);
                }
                byte[] value = new byte[len];
                in.get(value);
                if (tag < v.length) {
                    v[tag] = value;
                }
            }
            Credentials.SignedPreKey spk = new Credentials.SignedPreKey(
                    toInt(require(v, SIGNED_PRE_KEY_ID)),
                    toKeyPair(require(v, SIGNED_PRE_KEY)),
                    require(v, SIGNED_PRE_KEY_SIGNATURE));
            return new Credentials(
                    toKeyPair(require(v, NOISE_KEY)),
                    toKeyPair(require(v, IDENTITY_KEY)),
                    toInt(require(v, REGISTRATION_ID)),
                    spk,
                    require(v, ADV_SECRET),
                    str(v[ME]),
                    str(v[LID]),
                    str(v[PLATFORM]),
                    str(v[BUSINESS_NAME]),
                    v[ACCOUNT],
                    toInt(require(v, NEXT_PRE_KEY_ID)),
                    toInt(require(v, FIRST_UNUPLOADED_PRE_KEY_ID)));
        } catch (BufferUnderflowException | IllegalArgumentException e) {
            if (e instanceof CorruptCredentialsException c) {
                throw c;
            }
            throw new CorruptCredentialsException("credentials blob is damaged: " + e.getMessage());
        }
    }

    static final byte[] PRE_KEYS_MAGIC = {'L', 'W', 'P', 'K'};

    /** One-time prekeys: magic, format, count, then (id int32, private 32, public 32) per key. */
    public static byte[] encodePreKeys(Map<Integer, KeyPair> keys) {
        ByteBuffer b = ByteBuffer.allocate(4 + 1 + 4 + keys.size() * 68);
        b.put(PRE_KEYS_MAGIC).put((byte) FORMAT).putInt(keys.size());
        keys.forEach((id, kp) -> b.putInt(id).put(keyPair(kp)));
        return b.array();
    }

    public static Map<Integer, KeyPair> decodePreKeys(byte[] blob) {
        if (blob.length < 9 || !Arrays.equals(blob, 0, 4, PRE_KEYS_MAGIC, 0, 4)) {
            throw new CorruptCredentialsException("prekey blob does not start with LWPK");
        }
        ByteBuffer b = ByteBuffer.wrap(blob, 4, blob.length - 4);
        int format = b.get();
        int count = b.getInt();
        if (format != FORMAT || count < 0 || (long) count * 68 != b.remaining()) {
            throw new CorruptCredentialsException(
                    "prekey blob of format " + format + " announces " + count + " keys in " + b.remaining() + " bytes");
        }
        Map<Integer, KeyPair> keys = new LinkedHashMap<>(count * 2);
        byte[] pair = new byte[64];
        for (int i = 0; i < count; i++) {
            int id = b.getInt();
            b.get(pair);
            keys.put(id, toKeyPair(pair.clone()));
        }
        return keys;
    }

    private static void field(DataOutputStream out, int tag, byte[] value) throws IOException {
        out.writeByte(tag);
        out.writeInt(value.length);
        out.write(value);
    }

    private static void string(DataOutputStream out, int tag, String value) throws IOException {
        if (value != null) {
            field(out, tag, value.getBytes(StandardCharsets.UTF_8));
        }
    }

    private static byte[] int32(int v) {
        return ByteBuffer.allocate(4).putInt(v).array();
    }

    private static byte[] keyPair(KeyPair kp) {
        byte[] out = new byte[64];
        System.arraycopy(kp.privateKey(), 0, out, 0, 32);
        System.arraycopy(kp.publicKey(), 0, out, 32, 32);
        return out;
    }

    private static KeyPair toKeyPair(byte[] b) {
        if (b.length != 64) {
            throw new CorruptCredentialsException("key pair field has " + b.length + " bytes, expected 64");
        }
        return new KeyPair(Arrays.copyOfRange(b, 0, 32), Arrays.copyOfRange(b, 32, 64));
    }

    private static int toInt(byte[] b) {
        if (b.length != 4) {
            throw new CorruptCredentialsException("integer field has " + b.length + " bytes");
        }
        return ByteBuffer.wrap(b).getInt();
    }

    private static String str(byte[] b) {
        return b == null ? null : new String(b, StandardCharsets.UTF_8);
    }

    private static byte[] require(byte[][] v, int tag) {
        if (v[tag] == null) {
            throw new CorruptCredentialsException("credentials blob lacks field " + tag);
        }
        return v[tag];
    }

    /** The stored blob cannot be read; the engine reports it instead of pairing anew silently. */
    public static final class CorruptCredentialsException extends IllegalArgumentException {
        public CorruptCredentialsException(String message) {
            super(message);
        }
    }
}
