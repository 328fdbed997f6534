package dev.linkwell.service.storage;

import dev.linkwell.service.storage.crypto.Keyring;

class EncryptedFileCredentialStoreContractTest extends FileCredentialStoreContractTest {

    @Override
    Keyring keys() {
        return TestKeys.first();
    }
}
