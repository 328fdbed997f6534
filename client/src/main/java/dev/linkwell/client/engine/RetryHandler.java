package dev.linkwell.client.engine;

import dev.linkwell.client.store.Credentials;
import dev.linkwell.protocol.binary.Node;
import dev.linkwell.protocol.signal.PreKeyRecord;
import dev.linkwell.protocol.stanza.Enc;
import dev.linkwell.protocol.stanza.RetryReceipt;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Asks the sender of a message that did not decrypt for it again, as whatsmeow retry.go sendRetryReceipt does at
 * 33cfac5 (Baileys 7.0.0-rc14 sendRetryRequest agrees on the shape): a {@link RetryReceipt} with our registration
 * id, and from the second retry on (or at once when we lack the keys the message needs) a fresh one-time prekey,
 * our signed prekey and device identity, so the sender can start a new session. The count lives in memory per
 * message id; a resend carries its number ({@code <enc count>}), so a count survives a reconnect the way it does
 * in whatsmeow. Once the count reaches {@link #MAX_RETRIES} no receipt goes out any more: the caller then reports
 * the message as undecryptable.
 */
final class RetryHandler {

    private static final Logger log = LoggerFactory.getLogger(RetryHandler.class);

    /** whatsmeow retry.go: "Not sending any more retry receipts" once a message's count reaches 5. */
    static final int MAX_RETRIES = 5;
    /** Message ids whose counts are kept (the oldest forgotten first). */
    private static final int REMEMBERED = 1024;

    private final Connection conn;
    private final Map<String, Integer> counts = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Integer> eldest) {
            return size() > REMEMBERED;
        }
    };

    RetryHandler(Connection conn) {
        this.conn = conn;
    }

    /**
     * Sends a retry receipt for {@code message}, whose payload {@code failed} did not decrypt.
     *
     * @param withKeys include our keys even on the first retry (the sender's session or sender key is missing)
     * @return false when the message has had its retries: nothing was sent
     */
    boolean requestAgain(Node message, Enc failed, boolean withKeys) {
        String id = message.attrOr("id", "");
        int count = counts.merge(id, 1, Integer::sum);
        if (count == 1 && failed.count() > 0) {
            // a resend after we restarted: go on from the count it carries
            count = failed.count() + 1;
            counts.put(id, count);
        }
        if (count >= MAX_RETRIES) {
            counts.remove(id);
            log.warn("message {} from {} did not decrypt after {} retries", id, message.attr("from"), count - 1);
            return false;
        }
        Credentials creds = conn.creds();
        Optional<RetryReceipt.Keys> keys = count > 1 || withKeys ? Optional.of(keys(creds)) : Optional.empty();
        conn.send(new RetryReceipt(
                        id,
                        message.attr("from"),
                        message.attr("participant"),
                        message.attr("recipient"),
                        "peer".equals(message.attr("category")),
                        count,
                        message.attr("t"),
                        creds.registrationId(),
                        keys)
                .toNode());
        log.info(
                "retry receipt #{} for message {} from {}{}",
                count,
                id,
                message.attr("from"),
                keys.isPresent() ? " with keys" : "");
        return true;
    }

    /** The message decrypted (a resend or a redelivery): its count is done with. */
    void decrypted(String messageId) {
        counts.remove(messageId);
    }

    /** A fresh one-time prekey (stored, counters saved) with our identity, signed prekey and device identity. */
    private RetryReceipt.Keys keys(Credentials creds) {
        PreKeys.Batch batch = PreKeys.generate(creds, 1, conn.runtime().random());
        conn.signal().store().commit(batch.storeUpdate());
        conn.repository().save(batch.updated());
        conn.creds(batch.updated());
        PreKeyRecord preKey = batch.keys().getFirst();
        Credentials.SignedPreKey signed = creds.signedPreKey();
        return new RetryReceipt.Keys(
                creds.identityKey().publicKey(),
                preKey.id(),
                preKey.keyPair().publicKey(),
                signed.id(),
                signed.keyPair().publicKey(),
                signed.signature(),
                creds.account());
    }
}
