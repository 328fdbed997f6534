package dev.linkwell.service.storage;

import dev.linkwell.client.CredentialStore;
import dev.linkwell.service.storage.postgres.PostgresCredentialStore;
import dev.linkwell.service.storage.postgres.PostgresSessionKeyStore;
import dev.linkwell.service.storage.postgres.PostgresSessionStateStore;
import dev.linkwell.service.support.PostgresStorage;
import org.junit.jupiter.api.extension.RegisterExtension;

class PostgresSessionStoresContractTest extends SessionStoresContract {

    @RegisterExtension
    static final PostgresStorage POSTGRES = new PostgresStorage("session_state", "session_api_key", "credential");

    @Override
    SessionStateStore states() {
        return new PostgresSessionStateStore(POSTGRES.database(), JSON, POSTGRES.fence());
    }

    @Override
    SessionKeyStore keys() {
        return new PostgresSessionKeyStore(POSTGRES.database(), POSTGRES.fence());
    }

    @Override
    CredentialStore credentials() {
        return new PostgresCredentialStore(POSTGRES.database(), POSTGRES.fence());
    }

    @Override
    String backendName() {
        return "postgres";
    }
}
