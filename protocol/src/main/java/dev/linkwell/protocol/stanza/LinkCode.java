package dev.linkwell.protocol.stanza;

import dev.linkwell.protocol.ProtocolException;
import dev.linkwell.protocol.binary.Node;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The {@code link_code_companion_reg} stanzas of pairing by code (whatsmeow 33cfac5 pair-code.go PairPhone /
 * handleCodePairNotification; Baileys 7.0.0-rc14 Socket/socket.js requestPairingCode and
 * Socket/messages-recv.js 'link_code_companion_reg'): the companion's hello, the server's answer with the
 * pairing ref, the phone's notification, and the companion's finish. Byte fields are null when missing.
 */
public final class LinkCode {

    public static final String TAG = "link_code_companion_reg";
    public static final String HELLO = "companion_hello";
    public static final String FINISH = "companion_finish";

    private LinkCode() {}

    /**
     * {@code <iq to type="set" id xmlns="md"><link_code_companion_reg jid stage="companion_hello"
     * should_show_push_notification="true">} with the wrapped companion ephemeral key (salt 32 || iv 16 ||
     * AES-CTR), the noise key, the web client type id, the {@code "<Browser> (<OS>)"} display and a one-byte
     * zero nonce.
     */
    public record Hello(
            String id,
            String phoneJid,
            byte[] wrappedEphemeral,
            byte[] noiseKey,
            String platformId,
            String platformDisplay) {

        public Node toNode() {
            return Iq.toServer(
                    id,
                    Iq.SET,
                    "md",
                    Node.withChildren(
                            TAG,
                            Stanzas.attrs("jid", phoneJid, "stage", HELLO, "should_show_push_notification", "true"),
                            List.of(
                                    Stanzas.bytes(
                                            "link_code_pairing_wrapped_companion_ephemeral_pub", wrappedEphemeral),
                                    Stanzas.bytes("companion_server_auth_key_pub", noiseKey),
                                    Stanzas.bytes("companion_platform_id", platformId.getBytes(StandardCharsets.UTF_8)),
                                    Stanzas.bytes(
                                            "companion_platform_display",
                                            platformDisplay.getBytes(StandardCharsets.UTF_8)),
                                    Stanzas.bytes("link_code_pairing_nonce", new byte[] {0}))));
        }

        /** The hello in {@code reg} (the iq's {@code link_code_companion_reg} child); strings null when missing. */
        public static Hello from(String id, Node reg) {
            Node platformId = reg.child("companion_platform_id");
            Node display = reg.child("companion_platform_display");
            return new Hello(
                    id,
                    reg.attrOr("jid", ""),
                    Stanzas.childBytes(reg, "link_code_pairing_wrapped_companion_ephemeral_pub"),
                    Stanzas.childBytes(reg, "companion_server_auth_key_pub"),
                    platformId == null ? null : platformId.contentString(),
                    display == null ? null : display.contentString());
        }

        /** The server's answer: {@code <iq type="result"><link_code_companion_reg><link_code_pairing_ref>}. */
        public static Node answer(Node hello, String ref) {
            return Iq.serverResult(
                    hello,
                    Node.withChildren(
                            TAG,
                            Map.of(),
                            List.of(Stanzas.bytes("link_code_pairing_ref", ref.getBytes(StandardCharsets.UTF_8)))));
        }

        /**
         * The pairing ref in the server's answer to a hello.
         *
         * @throws ProtocolException when the answer is an error or lacks the ref; the message says which
         */
        public static String refIn(Node answer) {
            Optional<IqError> error = Iq.from(answer).error();
            if (error.isPresent()) {
                throw new ProtocolException("WhatsApp refused the pairing-code request: "
                        + error.get().describe());
            }
            byte[] ref = Stanzas.childBytes(answer.child(TAG), "link_code_pairing_ref");
            if (ref == null || ref.length == 0) {
                throw new ProtocolException("the answer to the pairing-code request has no link_code_pairing_ref");
            }
            return new String(ref, StandardCharsets.UTF_8);
        }
    }

    /**
     * The phone's side, after its user typed the code: {@code <notification from type="link_code_companion_reg"
     * id t><link_code_companion_reg><link_code_pairing_ref/><primary_identity_pub/>
     * <link_code_pairing_wrapped_primary_ephemeral_pub/></link_code_companion_reg></notification>}.
     */
    public record PrimaryHello(String ref, byte[] primaryIdentity, byte[] wrappedPrimaryEphemeral) {

        public Node toNode(String id, long t) {
            return Notification.fromServer(
                    id,
                    TAG,
                    t,
                    Node.withChildren(
                            TAG,
                            Map.of(),
                            List.of(
                                    Stanzas.bytes("link_code_pairing_ref", ref.getBytes(StandardCharsets.UTF_8)),
                                    Stanzas.bytes("primary_identity_pub", primaryIdentity),
                                    Stanzas.bytes(
                                            "link_code_pairing_wrapped_primary_ephemeral_pub",
                                            wrappedPrimaryEphemeral))));
        }

        /** Reads {@code reg}, the notification's {@code link_code_companion_reg} child. */
        public static PrimaryHello from(Node reg) {
            byte[] ref = Stanzas.childBytes(reg, "link_code_pairing_ref");
            return new PrimaryHello(
                    ref == null ? null : new String(ref, StandardCharsets.UTF_8),
                    Stanzas.childBytes(reg, "primary_identity_pub"),
                    Stanzas.childBytes(reg, "link_code_pairing_wrapped_primary_ephemeral_pub"));
        }
    }

    /**
     * {@code <iq to type="set" id xmlns="md"><link_code_companion_reg jid stage="companion_finish">} with the
     * wrapped key bundle (salt 32 || iv 12 || AES-GCM), the companion identity and the pairing ref.
     */
    public record Finish(String id, String phoneJid, byte[] wrappedKeyBundle, byte[] companionIdentity, String ref) {

        public Node toNode() {
            return Iq.toServer(
                    id,
                    Iq.SET,
                    "md",
                    Node.withChildren(
                            TAG,
                            Stanzas.attrs("jid", phoneJid, "stage", FINISH),
                            List.of(
                                    Stanzas.bytes("link_code_pairing_wrapped_key_bundle", wrappedKeyBundle),
                                    Stanzas.bytes("companion_identity_public", companionIdentity),
                                    Stanzas.bytes("link_code_pairing_ref", ref.getBytes(StandardCharsets.UTF_8)))));
        }

        /** Reads {@code reg}, the iq's {@code link_code_companion_reg} child. */
        public static Finish from(String id, Node reg) {
            Node ref = reg.child("link_code_pairing_ref");
            return new Finish(
                    id,
                    reg.attr("jid"),
                    Stanzas.childBytes(reg, "link_code_pairing_wrapped_key_bundle"),
                    Stanzas.childBytes(reg, "companion_identity_public"),
                    ref == null ? null : ref.contentString());
        }
    }
}
