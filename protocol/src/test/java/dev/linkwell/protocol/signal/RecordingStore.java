package dev.linkwell.protocol.signal;

import dev.linkwell.protocol.crypto.KeyPair;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** A store that remembers every commit it passes on, to check what one operation writes. */
final class RecordingStore implements SignalStore {

    final InMemorySignalStore delegate;
    final List<SignalStoreUpdate> commits = new ArrayList<>();

    RecordingStore(InMemorySignalStore delegate) {
        this.delegate = delegate;
    }

    @Override
    public KeyPair identityKeyPair() {
        return delegate.identityKeyPair();
    }

    @Override
    public int registrationId() {
        return delegate.registrationId();
    }

    @Override
    public Optional<byte[]> session(SignalAddress address) {
        return delegate.session(address);
    }

    @Override
    public Optional<byte[]> preKey(int id) {
        return delegate.preKey(id);
    }

    @Override
    public Optional<byte[]> signedPreKey(int id) {
        return delegate.signedPreKey(id);
    }

    @Override
    public Optional<byte[]> identity(SignalAddress address) {
        return delegate.identity(address);
    }

    @Override
    public Optional<byte[]> senderKey(SenderKeyName name) {
        return delegate.senderKey(name);
    }

    @Override
    public void commit(SignalStoreUpdate update) {
        commits.add(update);
        delegate.commit(update);
    }
}
