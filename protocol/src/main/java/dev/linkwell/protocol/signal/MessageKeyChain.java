package dev.linkwell.protocol.signal;

import com.google.protobuf.ByteString;
import dev.linkwell.protocol.proto.StoredMessageKey;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A symmetric key chain: the chain key steps forward with HMAC(ck, 0x02) and yields one message key seed
 * HMAC(ck, 0x01) per counter. Serves the ratchet's sending and receiving chains and sender keys.
 *
 * <p>Receiving out of order: seeds for counters skipped over are kept, at most {@link #MAX_SKIPPED_KEYS}
 * per chain (the oldest go first; go.mau.fi/libsignal maxMessageKeys, Baileys SenderKeyState
 * MAX_MESSAGE_KEYS), and one message may skip at most {@link #MAX_FORWARD} counters (libsignal-node
 * fillMessageKeys, Baileys group_cipher getSenderKey: "Over 2000 messages into the future!"). A used or
 * dropped seed is a {@link DuplicateMessageException}. A closed chain (its ratchet was replaced) keeps
 * its stored seeds but derives no more.
 */
final class MessageKeyChain {

    static final int MAX_FORWARD = 2000;
    static final int MAX_SKIPPED_KEYS = 2000;

    private byte[] chainKey;
    private int nextIndex;
    private final LinkedHashMap<Integer, byte[]> skipped;

    MessageKeyChain(byte[] chainKey, int nextIndex) {
        this(chainKey, nextIndex, new LinkedHashMap<>());
    }

    private MessageKeyChain(byte[] chainKey, int nextIndex, LinkedHashMap<Integer, byte[]> skipped) {
        this.chainKey = chainKey;
        this.nextIndex = nextIndex;
        this.skipped = skipped;
    }

    MessageKeyChain copy() {
        return new MessageKeyChain(chainKey, nextIndex, new LinkedHashMap<>(skipped));
    }

    /** Counter of the next seed {@link #next()} yields. */
    int nextIndex() {
        return nextIndex;
    }

    boolean closed() {
        return chainKey == null;
    }

    byte[] chainKey() {
        return chainKey;
    }

    int skippedCount() {
        return skipped.size();
    }

    /** The seed for counter {@link #nextIndex()}; the chain moves one step. */
    byte[] next() {
        if (chainKey == null) {
            throw new InvalidMessageException("chain is closed");
        }
        if (nextIndex == Integer.MAX_VALUE) {
            throw new InvalidMessageException("chain counter exhausted");
        }
        byte[] seed = SignalKdf.messageKeySeed(chainKey);
        chainKey = SignalKdf.nextChainKey(chainKey);
        nextIndex++;
        return seed;
    }

    /** The seed for a received counter: a stored skipped one, or derived ahead (keeping those skipped). */
    byte[] seedFor(int index) {
        if (index < nextIndex) {
            byte[] seed = skipped.remove(index);
            if (seed == null) {
                throw new DuplicateMessageException("key for counter " + index + " was already used (or dropped)");
            }
            return seed;
        }
        if (chainKey == null) {
            throw new InvalidMessageException("counter " + index + " is past the end of a closed chain");
        }
        if ((long) index - nextIndex > MAX_FORWARD) {
            throw new InvalidMessageException(
                    "counter " + index + " is more than " + MAX_FORWARD + " messages ahead of " + nextIndex);
        }
        while (nextIndex < index) {
            keepNext();
        }
        return next();
    }

    /**
     * Keeps the seeds up to and including {@code lastIndex} (the sender's last counter on this chain) and
     * closes the chain. A negative or out-of-bounds {@code lastIndex} keeps nothing more.
     */
    void closeAfter(int lastIndex) {
        if (chainKey != null && lastIndex >= nextIndex && (long) lastIndex - nextIndex < MAX_FORWARD) {
            while (nextIndex <= lastIndex) {
                keepNext();
            }
        }
        chainKey = null;
    }

    private void keepNext() {
        int index = nextIndex;
        skipped.put(index, next());
        if (skipped.size() > MAX_SKIPPED_KEYS) {
            Iterator<Map.Entry<Integer, byte[]>> oldest = skipped.entrySet().iterator();
            oldest.next();
            oldest.remove();
        }
    }

    List<StoredMessageKey> storedSkipped() {
        List<StoredMessageKey> out = new ArrayList<>(skipped.size());
        skipped.forEach((i, seed) -> out.add(StoredMessageKey.newBuilder()
                .setIndex(i)
                .setSeed(ByteString.copyFrom(seed))
                .build()));
        return out;
    }

    /** Rebuilds a stored chain; {@code chainKey} null for a closed one. */
    static MessageKeyChain restore(byte[] chainKey, int nextIndex, List<StoredMessageKey> stored) {
        if (chainKey != null && chainKey.length != 32) {
            throw new CorruptStateException("stored chain key must be 32 bytes");
        }
        if (nextIndex < 0 || stored.size() > MAX_SKIPPED_KEYS) {
            throw new CorruptStateException("stored chain counter or skipped keys out of range");
        }
        LinkedHashMap<Integer, byte[]> skipped = new LinkedHashMap<>();
        for (StoredMessageKey k : stored) {
            if (k.getIndex() < 0
                    || k.getIndex() >= nextIndex
                    || k.getSeed().size() != 32
                    || skipped.put(k.getIndex(), k.getSeed().toByteArray()) != null) {
                throw new CorruptStateException("stored skipped message key is malformed");
            }
        }
        return new MessageKeyChain(chainKey, nextIndex, skipped);
    }
}
