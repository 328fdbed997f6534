package dev.linkwell.service.storage;

import dev.linkwell.service.storage.crypto.Keyring;

class EncryptedPostgresCredentialStoreContractTest extends PostgresCredentialStoreContractTest {

    @Override
    Keyring keys() {
        return TestKeys.first();
    }
}
