package dev.linkwell.service.storage;

import dev.linkwell.client.CredentialStore;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

class FileSessionStoresContractTest extends SessionStoresContract {

    @TempDir
    Path root;

    @Override
    SessionStateStore states() {
        return new FileSessionStateStore(root, JSON);
    }

    @Override
    SessionKeyStore keys() {
        return new FileSessionKeyStore(root, JSON);
    }

    @Override
    CredentialStore credentials() {
        return new FileCredentialStore(root);
    }

    @Override
    String backendName() {
        return "file";
    }
}
