package dev.linkwell.protocol.conformance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.linkwell.protocol.signal.CiphertextType;
import dev.linkwell.protocol.signal.DecryptedMessage;
import dev.linkwell.protocol.signal.DuplicateMessageException;
import dev.linkwell.protocol.signal.EncryptedMessage;
import dev.linkwell.protocol.signal.GroupCipher;
import dev.linkwell.protocol.signal.IdentityKey;
import dev.linkwell.protocol.signal.InMemorySignalStore;
import dev.linkwell.protocol.signal.PreKeyBundle;
import dev.linkwell.protocol.signal.SenderKeyName;
import dev.linkwell.protocol.signal.SessionCipher;
import dev.linkwell.protocol.signal.SignalAddress;
import dev.linkwell.protocol.signal.SignedPreKeyRecord;
import dev.linkwell.protocol.signal.WhatsAppPadding;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Differential tests of {@code dev.linkwell.protocol.signal} against libsignal-node 6.0.0 (1:1 sessions)
 * and Baileys' sender-key group cipher, through {@code conformance/signal-check.js}. Plaintexts are padded
 * and unpadded the WhatsApp way on both sides (Baileys writeRandomPadMax16 / unpadRandomMax16 there,
 * {@link WhatsAppPadding} here). The Java party is a phone-number device, the Node party a LID device,
 * so both address forms are in play.
 */
class LibsignalSessionConformanceTest {

    private static final HexFormat HEX = HexFormat.of();
    private static final SignalAddress JAVA = new SignalAddress("5511988887777", 0);
    private static final SignalAddress NODE = new SignalAddress("190000000000001_1", 7);
    private static final String GROUP = "120363000000000001@g.us";

    private final SecureRandom random = new SecureRandom();
    private final Random shuffle = new Random(7);
    private NodeSignalPeer node;
    private InMemorySignalStore store;
    private SessionCipher javaCipher;
    private int sent;
    /** The last Node party created: its identity, registration id and prekeys. */
    private JsonNode nodeBundleSource;

    @BeforeEach
    void start() throws IOException {
        node = NodeSignalPeer.start();
        store = InMemorySignalStore.generate(10, random);
        javaCipher = new SessionCipher(store);
    }

    @AfterEach
    void stop() {
        if (node != null) {
            node.close();
        }
    }

    @Test
    void nodeStartsTheSessionWithAPreKeyMessageAndJavaAnswers() throws Exception {
        newNodeParty(3);
        nodeProcessesJavaBundle(OptionalInt.of(4));

        List<String> texts = texts(4);
        List<EncryptedMessage> fromNode = nodeEncrypts(texts);
        assertThat(fromNode).extracting(EncryptedMessage::type).containsOnly(CiphertextType.PKMSG);
        DecryptedMessage first =
                javaCipher.decrypt(NODE, CiphertextType.PKMSG, fromNode.get(0).body());
        assertThat(text(first)).isEqualTo(texts.get(0));
        assertThat(first.consumedPreKeyId()).hasValue(4);
        assertThat(store.preKeyIds()).doesNotContain(4).hasSize(9);
        for (int i = 1; i < texts.size(); i++) {
            DecryptedMessage again = javaCipher.decrypt(
                    NODE, CiphertextType.PKMSG, fromNode.get(i).body());
            assertThat(text(again)).isEqualTo(texts.get(i));
            assertThat(again.consumedPreKeyId()).isEmpty();
        }
        // a redelivered pre-key message is a clean duplicate
        assertThatThrownBy(() -> javaCipher.decrypt(
                        NODE, CiphertextType.PKMSG, fromNode.get(1).body()))
                .isInstanceOf(DuplicateMessageException.class);

        // Java answers with plain messages; once Node has read one, Node stops sending pre-key messages
        List<String> answers = texts(3);
        List<EncryptedMessage> fromJava = javaEncrypts(answers);
        assertThat(fromJava).extracting(EncryptedMessage::type).containsOnly(CiphertextType.MSG);
        assertThat(nodeDecrypts(fromJava)).isEqualTo(answers);
        List<String> more = texts(2);
        List<EncryptedMessage> next = nodeEncrypts(more);
        assertThat(next).extracting(EncryptedMessage::type).containsOnly(CiphertextType.MSG);
        assertThat(javaDecrypts(next)).isEqualTo(more);
    }

    @Test
    void nodeStartsTheSessionFromABundleWithoutOneTimePreKey() throws Exception {
        newNodeParty(0);
        nodeProcessesJavaBundle(OptionalInt.empty());
        List<String> texts = texts(2);
        List<EncryptedMessage> fromNode = nodeEncrypts(texts);
        DecryptedMessage first =
                javaCipher.decrypt(NODE, CiphertextType.PKMSG, fromNode.get(0).body());
        assertThat(text(first)).isEqualTo(texts.get(0));
        assertThat(first.consumedPreKeyId()).isEmpty();
        assertThat(store.preKeyIds()).hasSize(10);
        assertThat(nodeDecrypts(javaEncrypts(texts))).isEqualTo(texts);
    }

    @Test
    void javaStartsTheSessionAndNodeAnswers() throws Exception {
        JsonNode party = newNodeParty(3);
        javaCipher.processPreKeyBundle(NODE, bundle(party, 1));
        List<String> texts = texts(3);
        List<EncryptedMessage> fromJava = javaEncrypts(texts);
        assertThat(fromJava).extracting(EncryptedMessage::type).containsOnly(CiphertextType.PKMSG);
        assertThat(nodeDecrypts(fromJava)).isEqualTo(texts);
        assertThat(nodePreKeyIds()).containsExactlyInAnyOrder(2, 3);

        List<String> answers = texts(2);
        assertThat(javaDecrypts(nodeEncrypts(answers))).isEqualTo(answers);
        List<EncryptedMessage> after = javaEncrypts(texts(1));
        assertThat(after.get(0).type()).isEqualTo(CiphertextType.MSG);
        assertThat(nodeDecrypts(after)).hasSize(1);
    }

    @Test
    void outOfOrderDeliveryBothWaysAndAcrossRatchetSteps() throws Exception {
        establishFromNode();

        // Node -> Java: 30 messages shuffled, then each once more: duplicates
        List<String> texts = texts(30);
        List<EncryptedMessage> fromNode = nodeEncrypts(texts);
        List<Integer> order = shuffled(texts.size());
        for (int i : order) {
            assertThat(text(javaCipher.decryptMessage(NODE, fromNode.get(i).body())))
                    .isEqualTo(texts.get(i));
        }
        for (int i : order.subList(0, 5)) {
            assertThatThrownBy(() ->
                            javaCipher.decryptMessage(NODE, fromNode.get(i).body()))
                    .isInstanceOf(DuplicateMessageException.class);
        }

        // Java -> Node: 30 shuffled; libsignal-node refuses the repeats
        List<String> answers = texts(30);
        List<EncryptedMessage> fromJava = javaEncrypts(answers);
        List<Integer> back = shuffled(answers.size());
        List<EncryptedMessage> shuffledJava = new ArrayList<>();
        back.forEach(i -> shuffledJava.add(fromJava.get(i)));
        shuffledJava.add(fromJava.get(back.get(0)));
        JsonNode results = nodeDecryptResults(shuffledJava);
        for (int k = 0; k < back.size(); k++) {
            assertThat(utf8(results.get(k).path("plaintext").asText())).isEqualTo(answers.get(back.get(k)));
        }
        assertThat(results.get(back.size()).has("error"))
                .as("repeat refused: %s", results)
                .isTrue();

        // Node sends batch A, reads Java's answer (ratchet step), sends batch B; Java reads B before A
        List<String> a = texts(5);
        List<EncryptedMessage> batchA = nodeEncrypts(a);
        nodeDecrypts(javaEncrypts(texts(1)));
        List<String> b = texts(5);
        List<EncryptedMessage> batchB = nodeEncrypts(b);
        assertThat(javaDecrypts(batchB)).isEqualTo(b);
        assertThat(javaDecrypts(batchA)).isEqualTo(a);
    }

    @Test
    void aNewPreKeyMessageReestablishesTheSessionAndOldMessagesStillDecrypt() throws Exception {
        establishFromNode();
        List<EncryptedMessage> late = nodeEncrypts(List.of("sent before the phone started over"));

        // Node starts over from a fresh bundle: a new pre-key message, a new session at Java
        nodeProcessesJavaBundle(OptionalInt.of(6));
        List<String> texts = texts(2);
        List<EncryptedMessage> restarted = nodeEncrypts(texts);
        assertThat(restarted).extracting(EncryptedMessage::type).containsOnly(CiphertextType.PKMSG);
        DecryptedMessage first =
                javaCipher.decryptPreKeyMessage(NODE, restarted.get(0).body());
        assertThat(text(first)).isEqualTo(texts.get(0));
        assertThat(first.consumedPreKeyId()).hasValue(6);
        assertThat(first.identityChanged()).isFalse();
        assertThat(text(javaCipher.decryptPreKeyMessage(NODE, restarted.get(1).body())))
                .isEqualTo(texts.get(1));

        // the message of the closed session still decrypts
        assertThat(javaDecrypts(late)).containsExactly("sent before the phone started over");
        // Java answers in the new session
        List<String> answers = texts(2);
        assertThat(nodeDecrypts(javaEncrypts(answers))).isEqualTo(answers);

        // and the other way round: Java starts over from a new Node bundle
        JsonNode nodeParty = node.call(Map.of("op", "preKeyIds", "party", "n"));
        assertThat(nodeParty.get("ids")).isNotEmpty();
        javaCipher.processPreKeyBundle(
                NODE, bundle(nodeBundleSource, nodeParty.get("ids").get(0).asInt()));
        List<String> again = texts(2);
        List<EncryptedMessage> javaRestart = javaEncrypts(again);
        assertThat(javaRestart).extracting(EncryptedMessage::type).containsOnly(CiphertextType.PKMSG);
        assertThat(nodeDecrypts(javaRestart)).isEqualTo(again);
        List<String> reply = texts(2);
        assertThat(javaDecrypts(nodeEncrypts(reply))).isEqualTo(reply);
    }

    @Test
    void aPeerWithANewIdentityReplacesTheOldOne() throws Exception {
        establishFromNode();
        IdentityKey before =
                IdentityKey.of(HEX.parseHex(nodeBundleSource.get("identity").asText()));
        // the Node device "reinstalls": same address, new identity, no sessions
        JsonNode reinstalled = newNodeParty(2);
        nodeProcessesJavaBundle(OptionalInt.of(7));
        List<EncryptedMessage> fresh = nodeEncrypts(List.of("new phone, who dis"));
        DecryptedMessage d = javaCipher.decryptPreKeyMessage(NODE, fresh.get(0).body());
        assertThat(text(d)).isEqualTo("new phone, who dis");
        assertThat(d.identityChanged()).isTrue();
        IdentityKey after =
                IdentityKey.of(HEX.parseHex(reinstalled.get("identity").asText()));
        assertThat(after).isNotEqualTo(before);
        assertThat(store.identity(NODE).map(IdentityKey::parse)).hasValue(after);
        List<String> answer = texts(1);
        assertThat(nodeDecrypts(javaEncrypts(answer))).isEqualTo(answer);
    }

    @Test
    void aLongConversationWithManyRatchetStepsBothWays() throws Exception {
        establishFromNode();
        for (int round = 0; round < 40; round++) {
            List<String> fromNodeTexts = texts(1 + shuffle.nextInt(5));
            List<EncryptedMessage> fromNode = nodeEncrypts(fromNodeTexts);
            List<Integer> order = round % 3 == 0 ? shuffled(fromNode.size()) : inOrder(fromNode.size());
            for (int i : order) {
                assertThat(text(javaCipher.decryptMessage(NODE, fromNode.get(i).body())))
                        .isEqualTo(fromNodeTexts.get(i));
            }
            List<String> fromJavaTexts = texts(1 + shuffle.nextInt(5));
            assertThat(nodeDecrypts(javaEncrypts(fromJavaTexts))).isEqualTo(fromJavaTexts);
        }
        // a restart in the middle of the conversation: a new cipher over the same stored state
        javaCipher = new SessionCipher(store);
        List<String> afterRestart = texts(3);
        assertThat(javaDecrypts(nodeEncrypts(afterRestart))).isEqualTo(afterRestart);
        assertThat(nodeDecrypts(javaEncrypts(afterRestart))).isEqualTo(afterRestart);
    }

    @Test
    void senderKeyGroupMessagesBothWays() throws Exception {
        JsonNode hello = node.call(Map.of("op", "hello"));
        assertThat(hello.get("libsignal").asText()).isEqualTo("6.0.0");
        if (hello.get("group").isNull()) {
            NodeConformance.unavailable("no Baileys group cipher installed in conformance/node_modules");
        }
        System.out.printf(
                "sender keys cross-checked against %s (libsignal %s)%n",
                hello.get("group").asText(), hello.get("libsignal").asText());
        newNodeParty(1);
        GroupCipher group = new GroupCipher(store, random);
        SenderKeyName nodeSender = new SenderKeyName(GROUP, NODE);
        SenderKeyName javaSender = new SenderKeyName(GROUP, JAVA);

        // Node's key: some messages go out before Java gets the distribution message
        JsonNode skdm = node.call(Map.of("op", "groupCreate", "party", "n", "group", GROUP, "sender", NODE.toString()));
        nodeGroupEncrypts(texts(3));
        JsonNode current =
                node.call(Map.of("op", "groupCreate", "party", "n", "group", GROUP, "sender", NODE.toString()));
        assertThat(current.get("skdm").asText()).isNotEqualTo(skdm.get("skdm").asText());
        group.processDistributionMessage(
                nodeSender, HEX.parseHex(current.get("skdm").asText()));
        List<String> texts = texts(20);
        List<byte[]> fromNode = nodeGroupEncrypts(texts);
        List<Integer> order = shuffled(texts.size());
        for (int i : order) {
            assertThat(new String(
                            WhatsAppPadding.unpad(group.decrypt(nodeSender, fromNode.get(i))), StandardCharsets.UTF_8))
                    .isEqualTo(texts.get(i));
        }
        assertThatThrownBy(() -> group.decrypt(nodeSender, fromNode.get(order.get(0))))
                .isInstanceOf(DuplicateMessageException.class);

        // Java's key to Node, then 20 messages read out of order there
        byte[] ours = group.distributionMessage(javaSender);
        node.call(Map.of(
                "op",
                "groupProcess",
                "party",
                "n",
                "group",
                GROUP,
                "sender",
                JAVA.toString(),
                "skdm",
                HEX.formatHex(ours)));
        List<String> answers = texts(20);
        List<String> encrypted = new ArrayList<>();
        for (String t : answers) {
            encrypted.add(HEX.formatHex(group.encrypt(javaSender, pad(t))));
        }
        List<Integer> back = shuffled(answers.size());
        List<String> shuffledMessages = new ArrayList<>();
        back.forEach(i -> shuffledMessages.add(encrypted.get(i)));
        JsonNode results = node.call(Map.of(
                        "op",
                        "groupDecrypt",
                        "party",
                        "n",
                        "group",
                        GROUP,
                        "sender",
                        JAVA.toString(),
                        "messages",
                        shuffledMessages,
                        "unpad",
                        true))
                .get("results");
        for (int k = 0; k < back.size(); k++) {
            assertThat(utf8(results.get(k).path("plaintext").asText()))
                    .as("result %s", results.get(k))
                    .isEqualTo(answers.get(back.get(k)));
        }
    }

    // --- helpers -------------------------------------------------------------------------------------

    private JsonNode newNodeParty(int preKeys) throws Exception {
        nodeBundleSource = node.call(Map.of("op", "newParty", "party", "n", "preKeys", preKeys));
        return nodeBundleSource;
    }

    /** Node (party "n" at {@link #NODE}) starts a session with the Java device from its bundle. */
    private void nodeProcessesJavaBundle(OptionalInt preKeyId) throws Exception {
        PreKeyBundle b = store.bundle(1, preKeyId);
        Map<String, Object> bundle = new LinkedHashMap<>();
        bundle.put("registrationId", b.registrationId());
        bundle.put("identity", HEX.formatHex(b.identityKey().serialize()));
        SignedPreKeyRecord signed = store.signedPreKeyRecord(1).orElseThrow();
        bundle.put(
                "signedPreKey",
                Map.of(
                        "id",
                        signed.id(),
                        "pub",
                        HEX.formatHex(signed.keyPair().signalPublicKey()),
                        "sig",
                        HEX.formatHex(signed.signature())));
        if (preKeyId.isPresent()) {
            bundle.put(
                    "preKey",
                    Map.of(
                            "id",
                            preKeyId.getAsInt(),
                            "pub",
                            HEX.formatHex(dev.linkwell.protocol.crypto.Curve25519.toSignalPublicKey(b.preKey()))));
        }
        node.call(Map.of("op", "processBundle", "party", "n", "address", JAVA.toString(), "bundle", bundle));
    }

    /** A session Node started, answered by Java, so both sides send plain messages. */
    private void establishFromNode() throws Exception {
        newNodeParty(3);
        nodeProcessesJavaBundle(OptionalInt.of(5));
        List<String> hello = texts(1);
        assertThat(javaDecrypts(nodeEncrypts(hello))).isEqualTo(hello);
        List<String> answer = texts(1);
        assertThat(nodeDecrypts(javaEncrypts(answer))).isEqualTo(answer);
    }

    private PreKeyBundle bundle(JsonNode party, int preKeyId) {
        JsonNode spk = party.get("signedPreKey");
        byte[] preKey = null;
        for (JsonNode k : party.get("preKeys")) {
            if (k.get("id").asInt() == preKeyId) {
                preKey = HEX.parseHex(k.get("pub").asText());
            }
        }
        assertThat(preKey).as("node prekey %d", preKeyId).isNotNull();
        return new PreKeyBundle(
                party.get("registrationId").asInt(),
                IdentityKey.of(HEX.parseHex(party.get("identity").asText())),
                spk.get("id").asInt(),
                HEX.parseHex(spk.get("pub").asText()),
                HEX.parseHex(spk.get("sig").asText()),
                OptionalInt.of(preKeyId),
                preKey);
    }

    private List<EncryptedMessage> nodeEncrypts(List<String> texts) throws Exception {
        List<String> hex = new ArrayList<>();
        texts.forEach(t -> hex.add(HEX.formatHex(t.getBytes(StandardCharsets.UTF_8))));
        JsonNode answer = node.call(
                Map.of("op", "encrypt", "party", "n", "address", JAVA.toString(), "plaintexts", hex, "pad", true));
        List<EncryptedMessage> out = new ArrayList<>();
        for (JsonNode m : answer.get("messages")) {
            out.add(new EncryptedMessage(
                    CiphertextType.fromWireName(m.get("type").asText()),
                    HEX.parseHex(m.get("body").asText())));
        }
        return out;
    }

    private List<byte[]> nodeGroupEncrypts(List<String> texts) throws Exception {
        List<String> hex = new ArrayList<>();
        texts.forEach(t -> hex.add(HEX.formatHex(t.getBytes(StandardCharsets.UTF_8))));
        JsonNode answer = node.call(Map.of(
                "op",
                "groupEncrypt",
                "party",
                "n",
                "group",
                GROUP,
                "sender",
                NODE.toString(),
                "plaintexts",
                hex,
                "pad",
                true));
        List<byte[]> out = new ArrayList<>();
        answer.get("messages").forEach(m -> out.add(HEX.parseHex(m.asText())));
        return out;
    }

    private List<String> nodeDecrypts(List<EncryptedMessage> messages) throws Exception {
        JsonNode results = nodeDecryptResults(messages);
        List<String> out = new ArrayList<>();
        for (JsonNode r : results) {
            assertThat(r.has("plaintext")).as("node decrypted: %s", r).isTrue();
            out.add(utf8(r.get("plaintext").asText()));
        }
        return out;
    }

    private JsonNode nodeDecryptResults(List<EncryptedMessage> messages) throws Exception {
        List<Map<String, String>> list = new ArrayList<>();
        messages.forEach(m -> list.add(Map.of("type", m.type().wireName(), "body", HEX.formatHex(m.body()))));
        return node.call(Map.of(
                        "op", "decrypt", "party", "n", "address", JAVA.toString(), "messages", list, "unpad", true))
                .get("results");
    }

    private List<Integer> nodePreKeyIds() throws Exception {
        List<Integer> ids = new ArrayList<>();
        node.call(Map.of("op", "preKeyIds", "party", "n")).get("ids").forEach(i -> ids.add(i.asInt()));
        return ids;
    }

    private List<EncryptedMessage> javaEncrypts(List<String> texts) {
        List<EncryptedMessage> out = new ArrayList<>();
        for (String t : texts) {
            out.add(javaCipher.encrypt(NODE, pad(t)));
        }
        return out;
    }

    private List<String> javaDecrypts(List<EncryptedMessage> messages) {
        List<String> out = new ArrayList<>();
        for (EncryptedMessage m : messages) {
            out.add(text(javaCipher.decrypt(NODE, m.type(), m.body())));
        }
        return out;
    }

    private byte[] pad(String text) {
        return WhatsAppPadding.pad(text.getBytes(StandardCharsets.UTF_8), random);
    }

    private static String text(DecryptedMessage m) {
        return new String(WhatsAppPadding.unpad(m.plaintext()), StandardCharsets.UTF_8);
    }

    private static String utf8(String hex) {
        return new String(HEX.parseHex(hex), StandardCharsets.UTF_8);
    }

    private List<String> texts(int n) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            // lengths around the AES block size, empty included
            out.add(sent % 11 == 0 ? "" : "message " + sent + " " + "x".repeat(shuffle.nextInt(40)));
            sent++;
        }
        return out;
    }

    private List<Integer> shuffled(int n) {
        List<Integer> order = inOrder(n);
        Collections.shuffle(order, shuffle);
        return order;
    }

    private static List<Integer> inOrder(int n) {
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            order.add(i);
        }
        return order;
    }
}
