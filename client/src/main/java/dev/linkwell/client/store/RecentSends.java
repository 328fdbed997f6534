package dev.linkwell.client.store;

import dev.linkwell.client.CredentialStore;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The messages this device sent lately, kept so that a retry receipt for one of them (a device that could not
 * decrypt it asks again) can be answered with the same content, also after a restart: whatsmeow keeps the last
 * 256 in memory and optionally in its retry store (retry.go addRecentMessage at 33cfac5), Baileys in its
 * message store (getMessage). Kept in the {@code recent-sends} blob of the {@link CredentialStore}, written
 * (atomically) before the message leaves; at most {@link #MAX_ENTRIES} messages and {@link #MAX_BYTES} of content,
 * the oldest dropped first. Not thread-safe: one connection uses it at a time.
 *
 * <p>Blob format: magic {@code LWRS}, format byte 1, then per message: id (u16 length + UTF-8), chat (u16 length +
 * UTF-8), sent at (int64 Unix seconds), the Message protobuf (int32 length + bytes).
 */
public final class RecentSends {

    static final String BLOB = "recent-sends";
    public static final int MAX_ENTRIES = 256;
    public static final int MAX_BYTES = 1 << 20;
    private static final byte[] MAGIC = {'L', 'W', 'R', 'S'};
    private static final int FORMAT = 1;

    /** One sent message: its id, the chat it went to, when, and its Message protobuf (unpadded). */
    public record Sent(String id, String chat, long sentAt, byte[] message) {
        public Sent {
            message = message.clone();
        }

        @Override
        public byte[] message() {
            return message.clone();
        }
    }

    private final CredentialStore store;
    private final String sessionId;
    private final LinkedHashMap<String, Sent> byId = new LinkedHashMap<>();

    private RecentSends(CredentialStore store, String sessionId) {
        this.store = store;
        this.sessionId = sessionId;
    }

    /** The stored messages; a blob that does not parse is dropped with a fresh start (retries then go unanswered). */
    public static RecentSends load(CredentialStore store, String sessionId) {
        RecentSends sends = new RecentSends(store, sessionId);
        store.read(sessionId, BLOB).ifPresent(sends::parse);
        return sends;
    }

    /** Remembers a message and writes the blob. */
    public void add(Sent sent) {
        byId.remove(sent.id());
        byId.put(sent.id(), sent);
        long bytes = byId.values().stream().mapToLong(s -> s.message.length).sum();
        while (byId.size() > MAX_ENTRIES || bytes > MAX_BYTES) {
            Sent eldest = byId.remove(byId.keySet().iterator().next());
            bytes -= eldest.message.length;
        }
        store.write(sessionId, BLOB, encode());
    }

    public Optional<Sent> find(String id) {
        return Optional.ofNullable(byId.get(id));
    }

    public int size() {
        return byId.size();
    }

    private byte[] encode() {
        int size = MAGIC.length + 1;
        for (Sent s : byId.values()) {
            size += 2 + utf8(s.id).length + 2 + utf8(s.chat).length + 8 + 4 + s.message.length;
        }
        ByteBuffer b = ByteBuffer.allocate(size).put(MAGIC).put((byte) FORMAT);
        for (Sent s : byId.values()) {
            putString(b, s.id);
            putString(b, s.chat);
            b.putLong(s.sentAt).putInt(s.message.length).put(s.message);
        }
        return b.array();
    }

    private void parse(byte[] blob) {
        if (blob.length < MAGIC.length + 1
                || !Arrays.equals(blob, 0, MAGIC.length, MAGIC, 0, MAGIC.length)
                || blob[MAGIC.length] != FORMAT) {
            return;
        }
        ByteBuffer b = ByteBuffer.wrap(blob, MAGIC.length + 1, blob.length - MAGIC.length - 1);
        Map<String, Sent> read = new LinkedHashMap<>();
        try {
            while (b.hasRemaining()) {
                String id = getString(b);
                String chat = getString(b);
                long at = b.getLong();
                int length = b.getInt();
                if (length < 0 || length > b.remaining()) {
                    return;
                }
                byte[] message = new byte[length];
                b.get(message);
                read.put(id, new Sent(id, chat, at, message));
            }
        } catch (BufferUnderflowException | IllegalArgumentException e) {
            return;
        }
        byId.putAll(read);
    }

    private static void putString(ByteBuffer b, String s) {
        byte[] bytes = utf8(s);
        b.putShort((short) bytes.length).put(bytes);
    }

    private static String getString(ByteBuffer b) {
        int length = Short.toUnsignedInt(b.getShort());
        if (length > b.remaining()) {
            throw new IllegalArgumentException("truncated");
        }
        byte[] bytes = new byte[length];
        b.get(bytes);
        return new String(bytes, StandardCharsets.UTF_8);
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
