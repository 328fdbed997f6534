package dev.linkwell.client.engine;

import dev.linkwell.client.store.Credentials;
import dev.linkwell.protocol.stanza.PreKeyCount;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the server stocked with one-time prekeys: after login it asks how many the server holds, and an
 * {@code encrypt} notification tells it when the server runs low. Below {@link ClientConfig#minPreKeys()}
 * it uploads 812 the first time (nothing uploaded yet and the server holds none), a batch of
 * {@link ClientConfig#preKeyBatch()} after that, one upload at a time (whatsmeow prekeys.go uploadPreKeys:
 * WantedPreKeyCount 50, 812 initial, MinPreKeyCount 5; Baileys 7 uploadPreKeysToServerIfRequired). The
 * private halves are stored (one Signal store commit, one write of the {@code pre-keys} blob) before the public halves
 * leave.
 */
final class PreKeyHandler {

    private static final Logger log = LoggerFactory.getLogger(PreKeyHandler.class);

    private final Connection conn;
    private boolean uploadInFlight;

    PreKeyHandler(Connection conn) {
        this.conn = conn;
    }

    /** Asks the server how many prekeys it holds, and tops them up (after login). */
    void checkCount() {
        conn.whenAnswered(conn.query(PreKeyCount.query(conn.nextId())), (answer, failure) -> {
            if (failure != null) {
                log.debug("prekey count failed: {}", failure.getMessage());
            } else {
                topUp(PreKeyCount.in(answer));
            }
        });
    }

    /** The server says it holds {@code count} (an {@code encrypt} notification). */
    void onLowCount(int count) {
        if (conn.state() == WaClient.State.OPEN) {
            topUp(count);
        }
    }

    private void topUp(int count) {
        ClientConfig config = conn.config();
        if (conn.state() != WaClient.State.OPEN || count < 0 || count >= config.minPreKeys() || uploadInFlight) {
            log.debug("server holds {} prekeys{}", count, uploadInFlight ? "; an upload is in flight" : "");
            return;
        }
        Credentials creds = conn.creds();
        boolean first = count == 0 && creds.nextPreKeyId() == 1;
        PreKeys.Batch batch = PreKeys.generate(
                creds,
                first ? config.initialPreKeys() : config.preKeyBatch(),
                conn.runtime().random());
        conn.signal().store().commit(batch.storeUpdate());
        conn.repository().save(batch.updated());
        conn.creds(batch.updated());
        log.info("server holds {} prekeys; uploading {}", count, batch.keys().size());
        uploadInFlight = true;
        conn.whenAnswered(
                conn.query(PreKeys.uploadNode(conn.nextId(), batch.updated(), batch.keys())), (answer, failure) -> {
                    uploadInFlight = false;
                    if (failure != null || "error".equals(answer.attr("type"))) {
                        log.warn("prekey upload failed: {}", failure != null ? failure.getMessage() : answer);
                    }
                });
    }
}
