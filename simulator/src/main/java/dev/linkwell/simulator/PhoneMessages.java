package dev.linkwell.simulator;

import com.google.protobuf.ByteString;
import dev.linkwell.protocol.proto.AppStateSyncKey;
import dev.linkwell.protocol.proto.HistorySync;
import dev.linkwell.protocol.proto.Message;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.DeflaterOutputStream;

/**
 * The stanzas phones send linked devices, in the server's shape, handed to {@link PhoneSender} to encrypt and
 * deliver. Addressing follows whatsmeow message.go parseMessageSource and Baileys 7.0.0-rc14
 * Utils/decode-wa-message.js:
 *
 * <ul>
 *   <li>one-to-one: {@code from} the phone's address (its LID with {@code sender_pn} for a LID-addressed phone),
 *       {@code notify} its push name;</li>
 *   <li>group: {@code from} the group, {@code participant} the phone, {@code addressing_mode} and the other form of
 *       the participant's address ({@code participant_pn} in LID mode, else {@code participant_lid});</li>
 *   <li>what the account's owner wrote on the phone, copied to the account's own companions: {@code from} the phone,
 *       {@code recipient} the chat, the message inside a {@code deviceSentMessage};</li>
 *   <li>after linking, what a phone sends a new companion: its app-state sync key ({@code appStateSyncKeyShare}, a
 *       peer message) and a history-sync notification whose initial history is inline (the companion declared
 *       {@code inlineInitialPayloadInE2EeMsg}; Baileys 7 Utils/history.js reads
 *       {@code initialHistBootstrapInlinePayload}, zlib-deflated). Baileys 7 waits for that notification before
 *       it surfaces live messages (Socket/chats.js AwaitingInitialSync).</li>
 * </ul>
 */
final class PhoneMessages {

    private static final SecureRandom RANDOM = new SecureRandom();

    private final ServerParts server;

    PhoneMessages(ServerParts server) {
        this.server = server;
    }

    /** A text from {@code from} to one device. */
    String text(Phone from, String deviceJid, String text) {
        Map<String, String> attrs = base(from.senderAddress());
        if (from.profile().lidAddressed()) {
            attrs.put("sender_pn", from.jid());
        }
        attrs.put("notify", from.pushName());
        server.phoneSender().sendDirect(from, deviceJid, attrs, conversation(text), text);
        return attrs.get("id");
    }

    /** A text from {@code from} in a group, as one of the group's members, to one device. */
    String group(Phone from, String deviceJid, String groupJid, String text) {
        boolean lid = from.profile().lidAddressed();
        Map<String, String> attrs = base(groupJid);
        attrs.put("participant", from.senderAddress());
        attrs.put("addressing_mode", lid ? "lid" : "pn");
        attrs.put(lid ? "participant_pn" : "participant_lid", lid ? from.jid() : from.lid());
        attrs.put("notify", from.pushName());
        server.phoneSender().sendGroup(from, deviceJid, groupJid, attrs, conversation(text), text);
        return attrs.get("id");
    }

    /** The phone's owner writes to {@code chatJid}; each of the account's linked devices gets the copy. */
    String fromOwner(Phone phone, String chatJid, String text) {
        Map<String, String> attrs = base(phone.senderAddress());
        attrs.put("recipient", chatJid);
        Message copy = Message.newBuilder()
                .setDeviceSentMessage(Message.DeviceSentMessage.newBuilder()
                        .setDestinationJid(chatJid)
                        .setMessage(conversation(text)))
                .build();
        for (LinkedDevice device : phone.linkedDevices()) {
            server.phoneSender().sendDirect(phone, device.jid(), attrs, copy, text);
        }
        return attrs.get("id");
    }

    /** What the phone sends a companion once it uploaded its prekeys: the app-state key, then the history. */
    void afterLink(String deviceJid) {
        LinkedDevice device = server.accounts().device(deviceJid);
        if (device == null) {
            return;
        }
        Phone phone = server.accounts().phone(device.phoneId());
        Map<String, String> keyShare = base(phone.senderAddress());
        keyShare.put("category", "peer");
        server.phoneSender().sendDirect(phone, deviceJid, keyShare, appStateKeyShare(device), "(app-state sync key)");
        server.phoneSender()
                .sendDirect(
                        phone, deviceJid, base(phone.senderAddress()), historySync(), "(history sync notification)");
    }

    private Map<String, String> base(String from) {
        Map<String, String> attrs = new LinkedHashMap<>();
        attrs.put("id", newId());
        attrs.put("from", from);
        attrs.put("t", Long.toString(server.scheduler().now().getEpochSecond()));
        attrs.put("type", "text");
        return attrs;
    }

    private static Message conversation(String text) {
        return Message.newBuilder().setConversation(text).build();
    }

    /** One fresh key (whatsmeow message.go handleAppStateSyncKeyShare reads key id, data, fingerprint, timestamp). */
    private Message appStateKeyShare(LinkedDevice device) {
        byte[] keyId = new byte[6];
        byte[] keyData = new byte[32];
        RANDOM.nextBytes(keyId);
        RANDOM.nextBytes(keyData);
        AppStateSyncKey key = AppStateSyncKey.newBuilder()
                .setKeyId(AppStateSyncKey.Id.newBuilder().setKeyId(ByteString.copyFrom(keyId)))
                .setKeyData(AppStateSyncKey.Data.newBuilder()
                        .setKeyData(ByteString.copyFrom(keyData))
                        .setFingerprint(AppStateSyncKey.Fingerprint.newBuilder()
                                .setRawId(RANDOM.nextInt() >>> 1)
                                .setCurrentIndex(device.keyIndex())
                                .addDeviceIndexes(0)
                                .addDeviceIndexes(device.keyIndex()))
                        .setTimestamp(server.scheduler().now().toEpochMilli()))
                .build();
        return Message.newBuilder()
                .setProtocolMessage(Message.ProtocolMessage.newBuilder()
                        .setType(Message.ProtocolMessage.Type.APP_STATE_SYNC_KEY_SHARE)
                        .setAppStateSyncKeyShare(
                                Message.AppStateSyncKeyShare.newBuilder().addKeys(key)))
                .build();
    }

    /** The initial bootstrap, complete and empty: the simulator keeps no chat history. */
    private static Message historySync() {
        byte[] history = HistorySync.newBuilder()
                .setSyncType(HistorySync.HistorySyncType.INITIAL_BOOTSTRAP)
                .setChunkOrder(0)
                .setProgress(100)
                .build()
                .toByteArray();
        return Message.newBuilder()
                .setProtocolMessage(Message.ProtocolMessage.newBuilder()
                        .setType(Message.ProtocolMessage.Type.HISTORY_SYNC_NOTIFICATION)
                        .setHistorySyncNotification(Message.HistorySyncNotification.newBuilder()
                                .setSyncType(HistorySync.HistorySyncType.INITIAL_BOOTSTRAP)
                                .setChunkOrder(0)
                                .setProgress(100)
                                .setInitialHistBootstrapInlinePayload(ByteString.copyFrom(deflate(history)))))
                .build();
    }

    private static byte[] deflate(byte[] data) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (DeflaterOutputStream z = new DeflaterOutputStream(out)) {
            z.write(data);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    static String newId() {
        byte[] b = new byte[16];
        RANDOM.nextBytes(b);
        return HexFormat.of().withUpperCase().formatHex(b);
    }
}
