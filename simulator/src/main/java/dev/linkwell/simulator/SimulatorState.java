package dev.linkwell.simulator;

import java.util.List;
import java.util.Map;

/**
 * Everything the simulator needs to survive a restart: its root key (so the trust anchor stays the same),
 * phones with their account keys, linked devices with their keys, uploaded prekeys, and messages waiting
 * for a device that was offline (sent by a phone, or relayed from another device).
 */
public record SimulatorState(
        int version,
        byte[] rootPrivateKey,
        List<PhoneState> phones,
        List<LinkedDevice> devices,
        Map<String, List<UploadedPreKey>> preKeys,
        Map<String, List<PendingMessage>> pendingMessages,
        Map<String, List<RelayedStanza>> relayedMessages) {

    public static final int CURRENT_VERSION = 1;

    public SimulatorState {
        rootPrivateKey = rootPrivateKey == null ? null : rootPrivateKey.clone();
        phones = phones == null ? List.of() : List.copyOf(phones);
        devices = devices == null ? List.of() : List.copyOf(devices);
        preKeys = preKeys == null ? Map.of() : Map.copyOf(preKeys);
        pendingMessages = pendingMessages == null ? Map.of() : Map.copyOf(pendingMessages);
        relayedMessages = relayedMessages == null ? Map.of() : Map.copyOf(relayedMessages);
    }

    @Override
    public byte[] rootPrivateKey() {
        return rootPrivateKey == null ? null : rootPrivateKey.clone();
    }

    /**
     * A phone as stored: its account (identity) private key, LID user, next device number, profile (absent in
     * states written before profiles existed: a standard phone) and its Signal side (absent in states written
     * before phones spoke Signal: a new one is made).
     */
    public record PhoneState(
            String id,
            String number,
            byte[] accountPrivateKey,
            String lidUser,
            int nextDeviceId,
            boolean lidAddressed,
            boolean hostedBusiness,
            PhoneSignalState signal) {
        public PhoneState {
            accountPrivateKey = accountPrivateKey == null ? null : accountPrivateKey.clone();
        }

        @Override
        public byte[] accountPrivateKey() {
            return accountPrivateKey == null ? null : accountPrivateKey.clone();
        }
    }

    /**
     * A phone's Signal side ({@link PhoneSignal}): registration id, prekey counters, and its records (sessions,
     * identities, prekeys, sender keys) by name. The records hold private keys.
     *
     * @param nextPreKeyId        id the next generated one-time prekey gets
     * @param nextFetchedPreKeyId the next one-time prekey the server hands out
     */
    public record PhoneSignalState(
            int registrationId, int nextPreKeyId, int nextFetchedPreKeyId, Map<String, byte[]> records) {
        public PhoneSignalState {
            records = records == null ? Map.of() : Map.copyOf(records);
        }
    }

    /**
     * A message waiting for its device to connect.
     *
     * @param fromJid  the address it comes from, as the stanza names it (a LID for LID-addressed phones)
     * @param senderPn the sender's phone-number JID when {@code fromJid} is a LID ({@code sender_pn}), else null
     */
    public record PendingMessage(String id, String fromJid, String text, long timestamp, String senderPn) {}

    /**
     * A message another device sent, relayed to a device that was offline: the stanza as the server delivers it,
     * in the binary node format (token dictionary v3).
     */
    public record RelayedStanza(String id, byte[] node) {
        public RelayedStanza {
            node = node.clone();
        }

        @Override
        public byte[] node() {
            return node.clone();
        }
    }
}
