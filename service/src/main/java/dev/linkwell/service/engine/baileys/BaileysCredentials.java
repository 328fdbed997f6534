package dev.linkwell.service.engine.baileys;

import dev.linkwell.client.CredentialStore;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * One session's Baileys auth state in the service's {@link CredentialStore}, so Baileys gets the same storage
 * guarantees as the native engine (each blob written atomically and durably, mode 0600, purged with the session).
 * Values are the JSON text Baileys' {@code BufferJSON} makes; this class stores them without reading them.
 *
 * <ul>
 *   <li>{@code baileys.creds}: Baileys' {@code AuthenticationCreds}.</li>
 *   <li>{@code baileys.pre-keys}: every one-time prekey in one JSON object (id to value): the first login writes
 *       812 at once (Baileys' INITIAL_PREKEY_COUNT), and one atomic write beats 812 fsyncs, as in the native engine.</li>
 *   <li>{@code baileys.<type>.<id>}: every other key ({@code session}, {@code sender-key}, {@code app-state-sync-key},
 *       {@code lid-mapping}, ... of Baileys' {@code SignalDataTypeMap}), the id in unpadded base64url; an id too long
 *       for a blob name is named {@code baileys.<type>..<sha-256 of the id in hex>} instead.</li>
 * </ul>
 */
final class BaileysCredentials {

    static final String CREDS = "baileys.creds";
    static final String PRE_KEYS = "baileys.pre-keys";
    private static final String PRE_KEY_TYPE = "pre-key";
    private static final String PREFIX = "baileys.";
    private static final int MAX_BLOB_NAME = 128;
    private static final int MAX_ID_CHARS = 1024;
    private static final Pattern TYPE = Pattern.compile("[a-z][a-z0-9-]{0,39}");

    private final CredentialStore store;
    private final String sessionId;
    private final JsonMapper json;
    /** Shared by every socket of the session: the prekey blob is read, changed and written back. */
    private final Object preKeyLock;

    BaileysCredentials(CredentialStore store, String sessionId, JsonMapper json, Object preKeyLock) {
        this.store = store;
        this.sessionId = sessionId;
        this.json = json;
        this.preKeyLock = preKeyLock;
    }

    /** The stored creds, checked to be a JSON object; empty for a device that never linked. */
    Optional<String> creds() {
        Optional<String> text = store.read(sessionId, CREDS).map(b -> new String(b, StandardCharsets.UTF_8));
        text.ifPresent(t -> {
            JsonNode node;
            try {
                node = json.readTree(t);
            } catch (JacksonException e) {
                throw new IllegalStateException("stored Baileys credentials of session " + sessionId + " are not JSON: "
                        + e.getOriginalMessage());
            }
            if (!node.isObject()) {
                throw new IllegalStateException(
                        "stored Baileys credentials of session " + sessionId + " are not a JSON object");
            }
        });
        return text;
    }

    void saveCreds(String creds) {
        store.write(sessionId, CREDS, creds.getBytes(StandardCharsets.UTF_8));
    }

    /** The values stored for these ids (absent ids are left out). */
    Map<String, String> get(String type, List<String> ids) {
        checkType(type);
        Map<String, String> values = new LinkedHashMap<>();
        if (PRE_KEY_TYPE.equals(type)) {
            synchronized (preKeyLock) {
                ObjectNode all = preKeys();
                for (String id : ids) {
                    JsonNode value = all.get(checkId(id));
                    if (value != null && value.isString()) {
                        values.put(id, value.asString());
                    }
                }
            }
            return values;
        }
        for (String id : ids) {
            store.read(sessionId, blobName(type, checkId(id)))
                    .ifPresent(bytes -> values.put(id, new String(bytes, StandardCharsets.UTF_8)));
        }
        return values;
    }

    /** Writes or (for a null value) deletes each key; each blob atomically, prekeys in one write. */
    void set(Map<String, Map<String, String>> data) {
        data.keySet().forEach(BaileysCredentials::checkType);
        data.values().forEach(values -> values.keySet().forEach(BaileysCredentials::checkId));
        for (Map.Entry<String, Map<String, String>> byType : data.entrySet()) {
            String type = byType.getKey();
            if (PRE_KEY_TYPE.equals(type)) {
                setPreKeys(byType.getValue());
                continue;
            }
            for (Map.Entry<String, String> entry : byType.getValue().entrySet()) {
                String name = blobName(type, entry.getKey());
                if (entry.getValue() == null) {
                    store.delete(sessionId, name);
                } else {
                    store.write(sessionId, name, entry.getValue().getBytes(StandardCharsets.UTF_8));
                }
            }
        }
    }

    private void setPreKeys(Map<String, String> changes) {
        synchronized (preKeyLock) {
            ObjectNode all = preKeys();
            boolean changed = false;
            for (Map.Entry<String, String> change : changes.entrySet()) {
                if (change.getValue() == null) {
                    changed |= all.remove(change.getKey()) != null;
                } else {
                    all.put(change.getKey(), change.getValue());
                    changed = true;
                }
            }
            if (changed) {
                store.write(sessionId, PRE_KEYS, json.writeValueAsBytes(all));
            }
        }
    }

    private ObjectNode preKeys() {
        Optional<byte[]> stored = store.read(sessionId, PRE_KEYS);
        if (stored.isEmpty()) {
            return json.createObjectNode();
        }
        JsonNode node;
        try {
            node = json.readTree(stored.get());
        } catch (JacksonException e) {
            throw new IllegalStateException(
                    "stored Baileys prekeys of session " + sessionId + " are not JSON: " + e.getOriginalMessage());
        }
        if (!(node instanceof ObjectNode all)) {
            throw new IllegalStateException(
                    "stored Baileys prekeys of session " + sessionId + " are not a JSON object");
        }
        return all;
    }

    /** The blob that holds one key: readable for the usual ids, hashed for ids too long for a name. */
    static String blobName(String type, String id) {
        String name = PREFIX + type + "."
                + Base64.getUrlEncoder().withoutPadding().encodeToString(id.getBytes(StandardCharsets.UTF_8));
        if (name.length() <= MAX_BLOB_NAME) {
            return name;
        }
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(id.getBytes(StandardCharsets.UTF_8));
            return PREFIX + type + ".." + HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no SHA-256", e);
        }
    }

    private static void checkType(String type) {
        if (type == null || !TYPE.matcher(type).matches()) {
            throw new HostRequestException("bad_request", "key type must match " + TYPE.pattern());
        }
    }

    private static String checkId(String id) {
        if (id == null || id.isEmpty() || id.length() > MAX_ID_CHARS) {
            throw new HostRequestException("bad_request", "key ids must be 1 to " + MAX_ID_CHARS + " characters");
        }
        return id;
    }
}
