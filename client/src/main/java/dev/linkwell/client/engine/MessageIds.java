package dev.linkwell.client.engine;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * Message ids as WhatsApp Web makes them today: {@code "3EB0"} + the first 9 bytes, in upper-case hex, of SHA-256
 * over the 8-byte big-endian Unix time, our own user + {@code "@c.us"} and 16 random bytes (whatsmeow send.go
 * GenerateMessageID at 33cfac5; Baileys 7.0.0-rc14 generateMessageIDV2 has the same shape).
 */
final class MessageIds {

    private MessageIds() {}

    static String next(Instant now, String ownUser, SecureRandom random) {
        byte[] user = ownUser == null ? new byte[0] : (ownUser + "@c.us").getBytes(StandardCharsets.UTF_8);
        byte[] salt = new byte[16];
        random.nextBytes(salt);
        ByteBuffer data = ByteBuffer.allocate(8 + user.length + salt.length)
                .putLong(now.getEpochSecond())
                .put(user)
                .put(salt);
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(data.array());
            return "3EB0" + HexFormat.of().withUpperCase().formatHex(Arrays.copyOf(hash, 9));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
