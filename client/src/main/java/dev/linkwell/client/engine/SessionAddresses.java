package dev.linkwell.client.engine;

import dev.linkwell.client.store.LidMap;
import dev.linkwell.protocol.jid.Jid;
import dev.linkwell.protocol.jid.JidServer;
import dev.linkwell.protocol.signal.IdentityKey;
import dev.linkwell.protocol.signal.SignalAddress;
import dev.linkwell.protocol.signal.SignalStore;
import dev.linkwell.protocol.signal.SignalStoreUpdate;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where the Signal session with a peer device lives. A device has two names, its phone-number JID and its LID,
 * but one session: once the LID of a phone-number user is known, the session is kept under the LID form of the
 * device ({@code lid_1.device}), and a session still stored under the phone-number form moves there, identity and
 * all, in one commit (whatsmeow send.go encryptMessageForDevices / message.go decryptMessages with
 * migrateSessionStore at 33cfac5; Baileys 7 resolves LID addresses the same way in Signal/libsignal.js). Without a
 * known LID the device's own form is used. Sending and receiving must agree on this, or a reply lands on a session
 * the other side never built.
 */
final class SessionAddresses {

    private static final Logger log = LoggerFactory.getLogger(SessionAddresses.class);

    private SessionAddresses() {}

    /** The address of the session with {@code device}, moving a phone-number-form session to the LID form first. */
    static SignalAddress of(Jid device, LidMap lids, SignalStore store) {
        return of(device, null, lids, store);
    }

    /**
     * The same, with the device's LID when the caller knows it (a stanza's {@code sender_lid}); else the lid-map's.
     */
    static SignalAddress of(Jid device, Jid knownLid, LidMap lids, SignalStore store) {
        SignalAddress named = SignalAddress.of(device);
        if (!device.isUser()) {
            return named;
        }
        Optional<Jid> lid = knownLid != null ? Optional.of(knownLid) : lids.lidOf(device);
        if (lid.isEmpty()) {
            return named;
        }
        SignalAddress canonical = SignalAddress.of(Jid.of(lid.get().user(), device.device(), JidServer.LID));
        if (store.session(canonical).isEmpty()) {
            Optional<byte[]> session = store.session(named);
            if (session.isPresent()) {
                SignalStoreUpdate.Builder move = SignalStoreUpdate.builder()
                        .putSession(canonical, session.get())
                        .deleteSession(named);
                store.identity(named).ifPresent(identity -> move.putIdentity(canonical, IdentityKey.parse(identity)));
                store.commit(move.build());
                log.debug("session with {} moved to its LID form {}", named, canonical);
            }
        }
        return canonical;
    }
}
