package dev.linkwell.service.storage;

import dev.linkwell.service.storage.crypto.CredentialBackend;
import dev.linkwell.service.storage.crypto.Keyring;
import dev.linkwell.service.storage.postgres.PostgresCredentialStore;
import dev.linkwell.service.support.PostgresStorage;
import org.junit.jupiter.api.extension.RegisterExtension;

class PostgresCredentialStoreContractTest extends CredentialStoreContract {

    @RegisterExtension
    static final PostgresStorage POSTGRES = new PostgresStorage("credential");

    @Override
    CredentialBackend newBackend() {
        return new PostgresCredentialStore(POSTGRES.database(), POSTGRES.fence());
    }

    @Override
    Keyring keys() {
        return Keyring.none();
    }
}
