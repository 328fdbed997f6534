package dev.linkwell.client.engine;

import dev.linkwell.client.store.CredentialSignalStore;
import dev.linkwell.client.store.Credentials;
import dev.linkwell.client.store.CredentialsRepository;
import dev.linkwell.protocol.signal.GroupCipher;
import dev.linkwell.protocol.signal.IdentityPolicy;
import dev.linkwell.protocol.signal.SessionCipher;
import java.security.SecureRandom;

/**
 * The device's Signal layer on one connection: its persistent store and the two ciphers over it, one of each
 * per connection (both are synchronized on themselves, and every handler runs in the connection's mailbox).
 * Trust on first use, as WhatsApp clients do (docs/signal.md).
 *
 * @param store    sessions, identities, sender keys and one-time prekeys in the session's credential store
 * @param sessions one-to-one sessions: {@code pkmsg} and {@code msg}
 * @param groups   sender keys: {@code skmsg} and the distribution messages
 */
record Signal(CredentialSignalStore store, SessionCipher sessions, GroupCipher groups) {

    /** Opens the device's stored state (finishing a commit a crash cut short). */
    static Signal open(CredentialsRepository repository, Credentials creds, SecureRandom random) {
        CredentialSignalStore store = repository.signal(creds);
        return new Signal(
                store,
                new SessionCipher(store, IdentityPolicy.TRUST_ON_FIRST_USE, random),
                new GroupCipher(store, random));
    }
}
