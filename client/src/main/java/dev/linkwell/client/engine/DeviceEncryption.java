package dev.linkwell.client.engine;

import dev.linkwell.protocol.jid.Jid;
import dev.linkwell.protocol.signal.CiphertextType;
import dev.linkwell.protocol.signal.EncryptedMessage;
import dev.linkwell.protocol.signal.PreKeyBundle;
import dev.linkwell.protocol.signal.SessionCipher;
import dev.linkwell.protocol.signal.SignalAddress;
import dev.linkwell.protocol.signal.SignalException;
import dev.linkwell.protocol.signal.WhatsAppPadding;
import dev.linkwell.protocol.stanza.Enc;
import dev.linkwell.protocol.stanza.OutboundMessage;
import dev.linkwell.protocol.stanza.PreKeyFetch;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One {@code <enc>} per device: the Signal session with each device is found ({@link SessionAddresses}) or started
 * from a bundle the server hands out ({@link BundleFetch}, then X3DH as initiator), and the padded Message protobuf
 * encrypted with it: a {@code pkmsg} until the device has answered in that session, then {@code msg} (whatsmeow
 * send.go encryptMessageForDevices / encryptMessageForDevice at 33cfac5). A device the server gives no usable
 * bundle for, or whose session fails, is left out and named in the result, as whatsmeow does. Confined to the
 * connection's mailbox.
 */
final class DeviceEncryption {

    private static final Logger log = LoggerFactory.getLogger(DeviceEncryption.class);

    /**
     * @param participants   one per device encrypted for, in the order asked
     * @param errors         why each device left out was left out
     * @param firstErrorCode the server's code for the first device it refused, 0 when none
     */
    record Result(List<OutboundMessage.Participant> participants, Map<String, String> errors, int firstErrorCode) {

        boolean anyPreKeyMessage() {
            return participants.stream().anyMatch(p -> p.enc().type().equals(CiphertextType.PKMSG.wireName()));
        }
    }

    private final Connection conn;
    private final BundleFetch bundles;

    DeviceEncryption(Connection conn, BundleFetch bundles) {
        this.conn = conn;
        this.bundles = bundles;
    }

    /**
     * Encrypts {@code plaintext.apply(device)} for each device, fetching the bundles of those without a session
     * first. Completes in the mailbox; fails only when the bundle fetch as a whole fails.
     */
    CompletableFuture<Result> forDevices(List<Jid> devices, Function<Jid, byte[]> plaintext) {
        List<Jid> withoutSession = devices.stream()
                .filter(d -> !conn.signal().sessions().hasSession(address(d)))
                .toList();
        CompletableFuture<Map<String, PreKeyFetch.Result>> fetched = withoutSession.isEmpty()
                ? CompletableFuture.completedFuture(Map.of())
                : bundles.fetch(withoutSession, false);
        CompletableFuture<Result> result = new CompletableFuture<>();
        fetched.whenComplete((answers, failure) -> conn.run(() -> {
            if (failure != null) {
                result.completeExceptionally(failure);
                return;
            }
            Map<String, String> errors = new LinkedHashMap<>();
            int firstCode = 0;
            for (Jid device : withoutSession) {
                PreKeyFetch.Result answer = answers.get(device.toString());
                String why = answer == null
                        ? "no bundle in the answer"
                        : answer.error()
                                .map(e -> "the server refused its bundle: " + e.describe())
                                .orElse(null);
                if (why == null) {
                    why = start(device, answer.bundle().orElseThrow());
                }
                if (why != null) {
                    errors.put(device.toString(), why);
                    if (firstCode == 0 && answer != null && answer.error().isPresent()) {
                        firstCode = answer.error().get().code();
                    }
                }
            }
            List<OutboundMessage.Participant> participants = new ArrayList<>(devices.size());
            for (Jid device : devices) {
                if (errors.containsKey(device.toString())) {
                    continue;
                }
                try {
                    participants.add(new OutboundMessage.Participant(
                            device.toString(), encrypt(device, plaintext.apply(device))));
                } catch (SignalException e) {
                    errors.put(device.toString(), "encrypting failed: " + e.getMessage());
                }
            }
            if (!errors.isEmpty()) {
                log.warn("left out {} of {} device(s): {}", errors.size(), devices.size(), errors);
            }
            result.complete(new Result(participants, errors, firstCode));
        }));
        return result;
    }

    /** Starts a new session with {@code device} from {@code bundle}; the reason it failed, or null. */
    String start(Jid device, PreKeyBundle bundle) {
        try {
            if (conn.signal().sessions().processPreKeyBundle(address(device), bundle)) {
                log.info("the identity key of {} changed; its old sessions are gone", device);
            }
            return null;
        } catch (SignalException e) {
            return "its bundle is not usable: " + e.getMessage();
        }
    }

    /** Encrypts the padded {@code plaintext} with the open session with {@code device}. */
    Enc encrypt(Jid device, byte[] plaintext) {
        SessionCipher sessions = conn.signal().sessions();
        EncryptedMessage e = sessions.encrypt(
                address(device), WhatsAppPadding.pad(plaintext, conn.runtime().random()));
        return Enc.of(e.type().wireName(), e.body());
    }

    boolean hasSession(Jid device) {
        return conn.signal().sessions().hasSession(address(device));
    }

    private SignalAddress address(Jid device) {
        return SessionAddresses.of(device, conn.lidMap(), conn.signal().store());
    }
}
