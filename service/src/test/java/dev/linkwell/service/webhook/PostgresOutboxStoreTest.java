package dev.linkwell.service.webhook;

import dev.linkwell.service.support.PostgresStorage;
import java.time.Duration;
import org.junit.jupiter.api.extension.RegisterExtension;

class PostgresOutboxStoreTest extends OutboxStoreContract {

    @RegisterExtension
    static final PostgresStorage POSTGRES = new PostgresStorage("webhook_delivery");

    @Override
    OutboxStore open() {
        return new PostgresOutboxStore(POSTGRES.database(), POSTGRES.fence(), Duration.ofSeconds(30));
    }
}
