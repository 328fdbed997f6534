package dev.linkwell.client.engine;

import dev.linkwell.protocol.ProtocolException;
import dev.linkwell.protocol.jid.Jid;
import dev.linkwell.protocol.stanza.Iq;
import dev.linkwell.protocol.stanza.PreKeyFetch;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * Fetches the prekey bundles of devices we have no Signal session with ({@link PreKeyFetch}), as whatsmeow
 * fetchPreKeys (prekeys.go at 33cfac5) and Baileys 7 assertSessions do before encrypting. Answers per device: a
 * bundle, or the error the server gave for that device.
 */
final class BundleFetch {

    private final Connection conn;

    BundleFetch(Connection conn) {
        this.conn = conn;
    }

    /**
     * The server's answer for each device, keyed by the JID string it names; completes in the mailbox, and fails when
     * the query fails or the server refuses it as a whole.
     *
     * @param identityReason ask with {@code reason="identity"}, as a client forcing a new session does
     */
    CompletableFuture<Map<String, PreKeyFetch.Result>> fetch(List<Jid> devices, boolean identityReason) {
        CompletableFuture<Map<String, PreKeyFetch.Result>> result = new CompletableFuture<>();
        conn.whenAnswered(conn.query(PreKeyFetch.query(conn.nextId(), devices, identityReason)), (answer, failure) -> {
            if (failure != null) {
                result.completeExceptionally(failure);
                return;
            }
            Optional<String> error = Iq.from(answer).error().map(e -> e.describe());
            if (error.isPresent()) {
                result.completeExceptionally(new ProtocolException("prekey fetch refused: " + error.get()));
                return;
            }
            try {
                result.complete(PreKeyFetch.results(answer));
            } catch (ProtocolException e) {
                result.completeExceptionally(e);
            }
        });
        return result;
    }
}
