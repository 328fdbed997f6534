package dev.linkwell.simulator;

import dev.linkwell.protocol.stanza.Enc;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Everything the simulator needs to survive a restart: its root key (so the trust anchor stays the same),
 * phones with their account keys and Signal state, linked devices with their keys, uploaded prekeys (and how
 * many of each device's were handed out, in upload order), and messages waiting for a device that was offline
 * (sent by a phone, or relayed from another device).
 */
public record SimulatorState(
        int version,
        byte[] rootPrivateKey,
        List<PhoneState> phones,
        List<LinkedDevice> devices,
        Map<String, List<UploadedPreKey>> preKeys,
        Map<String, List<PendingMessage>> pendingMessages,
        Map<String, Integer> handedOutPreKeys,
        Map<String, List<RelayedStanza>> relayedMessages) {

    public static final int CURRENT_VERSION = 1;

    public SimulatorState {
        rootPrivateKey = rootPrivateKey == null ? null : rootPrivateKey.clone();
        phones = phones == null ? List.of() : List.copyOf(phones);
        devices = devices == null ? List.of() : List.copyOf(devices);
        preKeys = preKeys == null ? Map.of() : Map.copyOf(preKeys);
        pendingMessages = pendingMessages == null ? Map.of() : Map.copyOf(pendingMessages);
        handedOutPreKeys = handedOutPreKeys == null ? Map.of() : Map.copyOf(handedOutPreKeys);
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
     * A message waiting for its device to connect: the stanza as the server keeps it, sent again as it is at each
     * login until the device confirms it.
     *
     * @param fromJid  the address it comes from, as the stanza names it (a LID for LID-addressed phones)
     * @param text     what the phone wrote, for people reading the state (the stanza carries it encrypted)
     * @param senderPn the sender's phone-number JID when {@code fromJid} is a LID ({@code sender_pn}), else null
     * @param attrs    the stanza's attributes; absent in states written before phones encrypted
     * @param payloads its {@code <enc>} payloads; empty in states written before phones encrypted, whose messages
     *                 go out as they were then, in a {@code <plaintext>}
     */
    public record PendingMessage(
            String id,
            String fromJid,
            String text,
            long timestamp,
            String senderPn,
            Map<String, String> attrs,
            List<Enc> payloads) {
        public PendingMessage {
            attrs = attrs == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(attrs));
            payloads = payloads == null ? List.of() : List.copyOf(payloads);
        }
    }

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
