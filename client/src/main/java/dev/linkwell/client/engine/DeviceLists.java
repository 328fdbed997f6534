package dev.linkwell.client.engine;

import dev.linkwell.protocol.ProtocolException;
import dev.linkwell.protocol.binary.Node;
import dev.linkwell.protocol.jid.Jid;
import dev.linkwell.protocol.stanza.Iq;
import dev.linkwell.protocol.stanza.Usync;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The devices of the users a message goes to, from the usync devices query ({@link Usync#deviceQuery}), kept for
 * the connection as whatsmeow keeps its userDevicesCache (user.go GetUserDevices at 33cfac5) and Baileys 7 its
 * userDevicesCache (messages-send.js getUSyncDevices), and dropped when the server's participant hash says a list
 * is stale. The LIDs the same answer names are learned into the session's lid-map. Confined to the connection's
 * mailbox.
 */
final class DeviceLists {

    private static final Logger log = LoggerFactory.getLogger(DeviceLists.class);

    /** What the server said about one user: its devices (as device JIDs in the user's own form) and its LID. */
    record Account(Jid user, List<Jid> devices, Optional<Jid> lid) {}

    private final Connection conn;
    private final Map<Jid, Account> cache = new HashMap<>();

    DeviceLists(Connection conn) {
        this.conn = conn;
    }

    /**
     * The accounts of these users (JIDs without device), from the cache or one usync query for those not in it.
     * Completes in the mailbox; fails with the query's failure, or a {@link ProtocolException} for an answer
     * without a list.
     */
    CompletableFuture<Map<Jid, Account>> of(List<Jid> users) {
        Map<Jid, Account> found = new LinkedHashMap<>();
        List<Jid> missing = new ArrayList<>();
        for (Jid user : users) {
            Account cached = cache.get(user.toNonAd());
            if (cached != null) {
                found.put(user.toNonAd(), cached);
            } else {
                missing.add(user.toNonAd());
            }
        }
        if (missing.isEmpty()) {
            return CompletableFuture.completedFuture(found);
        }
        CompletableFuture<Map<Jid, Account>> result = new CompletableFuture<>();
        Node query = Usync.deviceQuery(conn.nextId(), conn.nextId(), missing);
        conn.whenAnswered(conn.query(query), (answer, failure) -> {
            if (failure != null) {
                result.completeExceptionally(failure);
                return;
            }
            Optional<String> error = Iq.from(answer).error().map(e -> e.describe());
            if (error.isPresent()) {
                result.completeExceptionally(new ProtocolException("usync refused: " + error.get()));
                return;
            }
            try {
                for (Usync.User u : Usync.users(answer)) {
                    Jid user = Jid.tryParse(u.jid());
                    if (user == null) {
                        continue;
                    }
                    Account account = account(user.toNonAd(), u);
                    cache.put(account.user(), account);
                    found.put(account.user(), account);
                }
            } catch (ProtocolException e) {
                result.completeExceptionally(e);
                return;
            }
            result.complete(found);
        });
        return result;
    }

    /** Forgets a user's list (the server's participant hash differed), so the next message asks again. */
    void forget(Jid user) {
        if (cache.remove(user.toNonAd()) != null) {
            log.debug("device list of {} dropped", user.toNonAd());
        }
    }

    private Account account(Jid user, Usync.User answer) {
        Optional<Jid> lid = answer.lid().map(Jid::tryParse);
        if (lid.isPresent() && user.isUser()) {
            conn.lidMap().learn(lid.get(), user);
        }
        List<Jid> devices = new ArrayList<>();
        for (Usync.Device d : answer.devices().orElse(List.of())) {
            if (d.id() != 0 && d.keyIndex() == 0) {
                // a companion without key index: Baileys 7 skips it (Utils/signal.js extractDeviceJids: "produces a
                // bad req otherwise")
                continue;
            }
            // hosted devices (Cloud API) live on their own servers (whatsmeow parseDeviceList)
            String server = !d.hosted() ? user.server() : user.isLid() ? "hosted.lid" : "hosted";
            devices.add(Jid.of(user.user(), d.id(), server));
        }
        return new Account(user, devices, lid);
    }
}
