package dev.linkwell.service.storage;

import dev.linkwell.service.storage.crypto.CredentialBackend;
import dev.linkwell.service.storage.crypto.Keyring;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

class FileCredentialStoreContractTest extends CredentialStoreContract {

    @TempDir
    Path root;

    @Override
    CredentialBackend newBackend() {
        return new FileCredentialStore(root);
    }

    @Override
    Keyring keys() {
        return Keyring.none();
    }
}
