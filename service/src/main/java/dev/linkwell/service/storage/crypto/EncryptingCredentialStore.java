package dev.linkwell.service.storage.crypto;

import dev.linkwell.client.CredentialStore;
import java.util.List;
import java.util.Optional;

/**
 * The {@link CredentialStore} engines get: seals each blob before the backend stores it when a key is
 * configured, and opens sealed records on the way back. Plain records (written before a key was set) are
 * read as they are and sealed on their next write or by {@code --rotate-storage-key}. A record whose key is
 * not configured, or that does not decrypt, is an exception: the engine reports the credentials as
 * unreadable and nothing is overwritten.
 */
public final class EncryptingCredentialStore implements CredentialStore {

    private final CredentialBackend backend;
    private final Keyring keys;

    public EncryptingCredentialStore(CredentialBackend backend, Keyring keys) {
        this.backend = backend;
        this.keys = keys;
    }

    @Override
    public Optional<byte[]> read(String sessionId, String name) {
        return backend.read(sessionId, name)
                .map(record -> Envelope.isSealed(record) ? keys.open(sessionId, name, record) : record);
    }

    @Override
    public void write(String sessionId, String name, byte[] data) {
        if (keys.current().isPresent()) {
            backend.write(sessionId, name, keys.seal(sessionId, name, data));
        } else {
            backend.write(sessionId, name, data);
        }
    }

    @Override
    public void delete(String sessionId, String name) {
        backend.delete(sessionId, name);
    }

    @Override
    public List<String> names(String sessionId) {
        return backend.names(sessionId);
    }

    @Override
    public boolean exists(String sessionId) {
        return backend.exists(sessionId);
    }

    @Override
    public void purge(String sessionId) {
        backend.purge(sessionId);
    }

    @Override
    public List<String> sessionIds() {
        return backend.sessionIds();
    }
}
