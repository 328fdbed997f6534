package dev.linkwell.protocol.stanza;

import dev.linkwell.protocol.jid.Jid;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Base64;
import java.util.Collection;

/**
 * The participant list hash ({@code phash}) of the devices a message went to: {@code "2:"} + standard base64
 * without padding of the first 6 bytes of SHA-256 over the sorted, concatenated {@code user.0:device@server} forms
 * (whatsmeow send.go participantListHashV2 with types.JID ADString at 33cfac5; whatsapp-rust 1489b7da
 * wacore/src/messages.rs participant_list_hash, whose test vectors say WA Web writes 0 in the agent position).
 * The server answers a message with its own hash in the ack; a different one means stale device lists.
 */
public final class ParticipantHash {

    private ParticipantHash() {}

    public static String of(Collection<Jid> devices) {
        String[] forms = devices.stream()
                .map(d -> d.user() + ".0:" + d.device() + "@" + d.server())
                .toArray(String[]::new);
        Arrays.sort(forms);
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256")
                    .digest(String.join("", forms).getBytes(StandardCharsets.UTF_8));
            return "2:" + Base64.getEncoder().withoutPadding().encodeToString(Arrays.copyOf(hash, 6));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
