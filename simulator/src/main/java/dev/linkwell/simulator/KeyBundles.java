package dev.linkwell.simulator;

import dev.linkwell.protocol.binary.Node;
import dev.linkwell.protocol.jid.Jid;
import dev.linkwell.protocol.signal.IdentityKey;
import dev.linkwell.protocol.signal.PreKeyBundle;
import dev.linkwell.protocol.stanza.PreKeyFetch;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * The server's answer to a prekey fetch ({@link PreKeyFetch}): for each device named, by phone number or LID, the
 * keys it registered (registration id, identity and signed prekey from its registration and uploads) and one of
 * its one-time prekeys, which is then gone for every later fetch; without any left the bundle has no
 * {@code <key>}, as whatsmeow and Baileys accept. A device no account has answers {@code <error code="406"/>}, the
 * code whatsapp-rust 1489b7da reads as "not registered" (wacore/src/prekeys.rs); the error text is [I].
 */
final class KeyBundles {

    static final int NOT_REGISTERED = 406;

    private final Accounts accounts;

    KeyBundles(Accounts accounts) {
        this.accounts = accounts;
    }

    /** The {@code <user>} answers, one per device asked, in order; empty when a jid is missing or not a device JID. */
    Optional<List<Node>> answer(List<String> requested) {
        List<Node> users = new ArrayList<>(requested.size());
        for (String jid : requested) {
            Jid device = jid == null ? null : Jid.tryParse(jid);
            if (device == null || !(device.isUser() || device.isLid())) {
                return Optional.empty();
            }
            users.add(keys(device)
                    .map(k -> PreKeyFetch.bundleNode(jid, k))
                    .orElseGet(() -> PreKeyFetch.errorNode(jid, NOT_REGISTERED, "not-acceptable")));
        }
        return Optional.of(users);
    }

    private Optional<PreKeyBundle> keys(Jid device) {
        Optional<Phone> phone =
                device.isUser() ? accounts.phoneByNumber(device.user()) : accounts.phoneByLidUser(device.user());
        if (phone.isEmpty()) {
            return Optional.empty();
        }
        if (device.device() == 0) {
            return Optional.of(phone.get().signal().fetchBundle());
        }
        Optional<LinkedDevice> companion = phone.get().linkedDevices().stream()
                .filter(d -> d.deviceId() == device.device())
                .findFirst();
        return companion.map(d -> {
            Optional<UploadedPreKey> oneTime = accounts.takePreKey(d.jid());
            return new PreKeyBundle(
                    d.registrationId(),
                    IdentityKey.of(d.identityPublicKey()),
                    d.signedPreKeyId(),
                    d.signedPreKeyPublic(),
                    d.signedPreKeySignature(),
                    oneTime.map(k -> OptionalInt.of(k.id())).orElse(OptionalInt.empty()),
                    oneTime.map(UploadedPreKey::publicKey).orElse(null));
        });
    }
}
