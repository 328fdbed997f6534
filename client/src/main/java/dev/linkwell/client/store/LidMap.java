package dev.linkwell.client.store;

import dev.linkwell.client.CredentialStore;
import dev.linkwell.protocol.jid.Jid;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * One session's map between LID users and phone-number users, learned from what the server names
 * (our own {@code lid} at pairing and login, {@code sender_pn} and its kin on messages), kept in the
 * {@code lid-map} blob of the {@link CredentialStore}. whatsmeow and Baileys 7 keep the same kind of
 * store (whatsmeow StoreLIDPNMapping, Baileys lidMapping.storeLIDPNMappings).
 *
 * <p>Blob format: UTF-8 lines {@code <lid user> <phone number user>}. Written (atomically, by the store)
 * only when a pair is new or changed; at most {@link #MAX_ENTRIES} pairs, the oldest learned dropped first.
 * Not thread-safe: one connection uses it at a time.
 */
public final class LidMap {

    static final String BLOB = "lid-map";
    public static final int MAX_ENTRIES = 50_000;
    private static final Pattern USER = Pattern.compile("[0-9]{1,24}");

    private final CredentialStore store;
    private final String sessionId;
    private final LinkedHashMap<String, String> lidToPn = new LinkedHashMap<>();
    private final Map<String, String> pnToLid = new LinkedHashMap<>();

    private LidMap(CredentialStore store, String sessionId) {
        this.store = store;
        this.sessionId = sessionId;
    }

    /** The stored map; lines that do not parse are skipped. */
    public static LidMap load(CredentialStore store, String sessionId) {
        LidMap map = new LidMap(store, sessionId);
        store.read(sessionId, BLOB).ifPresent(bytes -> {
            for (String line : new String(bytes, StandardCharsets.UTF_8).split("\n")) {
                String[] parts = line.split(" ");
                if (parts.length == 2
                        && USER.matcher(parts[0]).matches()
                        && USER.matcher(parts[1]).matches()) {
                    map.put(parts[0], parts[1]);
                }
            }
        });
        return map;
    }

    /**
     * Records that {@code lid} and {@code pn} name the same account; devices are ignored.
     *
     * @return true when this was new and has been stored
     */
    public boolean learn(Jid lid, Jid pn) {
        if (lid == null
                || pn == null
                || !lid.isLid()
                || !pn.isUser()
                || !USER.matcher(lid.user()).matches()
                || !USER.matcher(pn.user()).matches()) {
            return false;
        }
        if (pn.user().equals(lidToPn.get(lid.user())) && lid.user().equals(pnToLid.get(pn.user()))) {
            return false;
        }
        put(lid.user(), pn.user());
        save();
        return true;
    }

    /** The phone-number JID (no device) of a LID, if learned. */
    public Optional<Jid> phoneNumberOf(Jid lid) {
        String pn = lid == null ? null : lidToPn.get(lid.user());
        return pn == null ? Optional.empty() : Optional.of(Jid.of(pn, "s.whatsapp.net"));
    }

    /** The LID (no device) of a phone-number JID, if learned. */
    public Optional<Jid> lidOf(Jid pn) {
        String lid = pn == null ? null : pnToLid.get(pn.user());
        return lid == null ? Optional.empty() : Optional.of(Jid.of(lid, "lid"));
    }

    public int size() {
        return lidToPn.size();
    }

    private void put(String lid, String pn) {
        String oldPn = lidToPn.remove(lid);
        if (oldPn != null) {
            pnToLid.remove(oldPn);
        }
        String oldLid = pnToLid.remove(pn);
        if (oldLid != null) {
            lidToPn.remove(oldLid);
        }
        lidToPn.put(lid, pn);
        pnToLid.put(pn, lid);
        while (lidToPn.size() > MAX_ENTRIES) {
            String eldest = lidToPn.keySet().iterator().next();
            pnToLid.remove(lidToPn.remove(eldest));
        }
    }

    private void save() {
        StringBuilder sb = new StringBuilder(lidToPn.size() * 32);
        lidToPn.forEach((lid, pn) -> sb.append(lid).append(' ').append(pn).append('\n'));
        store.write(sessionId, BLOB, sb.toString().getBytes(StandardCharsets.UTF_8));
    }
}
