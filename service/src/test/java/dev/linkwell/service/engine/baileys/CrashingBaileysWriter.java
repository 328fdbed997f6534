package dev.linkwell.service.engine.baileys;

import dev.linkwell.service.storage.FileCredentialStore;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.CRC32;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Run in a child JVM by {@link BaileysCredentialsCrashTest}: writes what the Baileys host writes, through the same
 * {@link BaileysCredentials} on a {@link FileCredentialStore}, as fast as it can: each round a new creds, a batch of
 * prekeys and a Signal session record, every value a different size with a checksum. Prints the round number once
 * all its writes returned. The test kills it with SIGKILL at a random moment.
 */
public final class CrashingBaileysWriter {

    static final String SESSION = "crash";
    static final String PEER = "5511999999999.0";
    static final int PRE_KEYS = 50;

    private CrashingBaileysWriter() {}

    public static void main(String[] args) {
        JsonMapper json = JsonMapper.builder().build();
        BaileysCredentials credentials =
                new BaileysCredentials(new FileCredentialStore(Path.of(args[0])), SESSION, json, new Object());
        for (long round = 1; ; round++) {
            Map<String, String> preKeys = new LinkedHashMap<>();
            for (int i = 0; i < PRE_KEYS; i++) {
                preKeys.put(Long.toString(round * PRE_KEYS + i), value(round, i));
            }
            credentials.set(Map.of("pre-key", preKeys, "session", Map.of(PEER, value(round, -1))));
            credentials.saveCreds(value(round, -2));
            System.out.println(round);
            System.out.flush();
        }
    }

    /** {"round": n, "pad": ..., "crc": ...}: a JSON object whose size depends on the round, with its checksum. */
    static String value(long round, int salt) {
        String pad = "k".repeat(1 + (int) ((round * 7919 + salt * 31L) % 8192));
        return "{\"round\":" + round + ",\"pad\":\"" + pad + "\",\"crc\":" + crc(round, pad) + "}";
    }

    /** The round in a complete value, or -1 when it is torn or corrupt. */
    static long roundOf(JsonMapper json, String value) {
        try {
            JsonNode node = json.readTree(value);
            long round = node.path("round").asLong(-1);
            return node.path("crc").asLong() == crc(round, node.path("pad").asString()) ? round : -1;
        } catch (RuntimeException e) {
            return -1;
        }
    }

    private static long crc(long round, String pad) {
        CRC32 crc = new CRC32();
        crc.update((round + ":" + pad).getBytes(StandardCharsets.UTF_8));
        return crc.getValue();
    }
}
