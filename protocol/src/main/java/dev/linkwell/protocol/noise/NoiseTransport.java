package dev.linkwell.protocol.noise;

import dev.linkwell.protocol.ProtocolException;
import dev.linkwell.protocol.crypto.Aes;

/**
 * The post-handshake cipher pair: AES-256-GCM, empty AAD, IV = 8 zero bytes || uint32 BE counter, one
 * counter per direction starting at 0. Encrypt and decrypt may run on different threads; each direction
 * is serialized on its own lock. A frame that fails to authenticate does not advance the read counter,
 * but the connection should be closed: Noise offers no recovery.
 */
public final class NoiseTransport {

    private final byte[] writeKey;
    private final byte[] readKey;
    private final Object writeLock = new Object();
    private final Object readLock = new Object();
    private long writeCounter;
    private long readCounter;

    NoiseTransport(byte[] writeKey, byte[] readKey) {
        this.writeKey = writeKey.clone();
        this.readKey = readKey.clone();
    }

    /** Encrypts one outbound frame payload (put the result through a FrameCodec encoder). */
    public byte[] encrypt(byte[] plaintext) {
        synchronized (writeLock) {
            byte[] out = Aes.gcmEncrypt(writeKey, SymmetricState.iv(writeCounter), plaintext, null);
            writeCounter++;
            return out;
        }
    }

    /** Decrypts one inbound frame payload; a bad tag or short frame is a {@link NoiseException}. */
    public byte[] decrypt(byte[] ciphertext) {
        synchronized (readLock) {
            byte[] out;
            try {
                out = Aes.gcmDecrypt(readKey, SymmetricState.iv(readCounter), ciphertext, null);
            } catch (ProtocolException e) {
                throw new NoiseException("transport frame " + readCounter + " failed to decrypt: " + e.getMessage(), e);
            }
            readCounter++;
            return out;
        }
    }

    public long writeCounter() {
        synchronized (writeLock) {
            return writeCounter;
        }
    }

    public long readCounter() {
        synchronized (readLock) {
            return readCounter;
        }
    }
}
