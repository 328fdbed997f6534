package dev.linkwell.protocol.stanza;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.linkwell.protocol.ProtocolException;
import dev.linkwell.protocol.binary.BinaryFrames;
import dev.linkwell.protocol.binary.Node;
import dev.linkwell.protocol.binary.TokenDictionary;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Each stanza record built by one side reads back the same on the other, after a trip through the binary
 * codec, and has the shape the references send.
 */
class StanzaRoundTripTest {

    /** Through the wire format and back, as the peer would see it. */
    private static Node wire(Node node) {
        return BinaryFrames.decodeFrame(BinaryFrames.encodeFrame(node, TokenDictionary.V3), TokenDictionary.V3);
    }

    @Test
    void iqQueriesAndAnswersOnBothSides() {
        Node query = wire(Iq.toServer("1", Iq.SET, "passive", Node.of("active")));
        assertThat(query.attrs())
                .containsEntry("to", "@s.whatsapp.net")
                .containsEntry("type", "set")
                .containsEntry("xmlns", "passive")
                .doesNotContainKey("from");
        Iq read = Iq.from(query);
        assertThat(read.child().tag()).isEqualTo("active");
        assertThat(read.isAnswer()).isFalse();

        Node error = wire(Iq.serverError(query, 400, "bad-request"));
        assertThat(error.attrs()).containsEntry("from", "@s.whatsapp.net").containsEntry("id", "1");
        assertThat(Iq.from(error).error()).contains(new IqError(400, "bad-request"));
        assertThat(Iq.from(wire(Iq.serverResult(query))).error()).isEmpty();

        Node serverQuery = wire(Ping.fromServer("p1"));
        assertThat(Ping.is(serverQuery)).isTrue();
        assertThat(Ping.is(wire(Ping.fromClient("p2")))).isTrue();
        assertThat(wire(Iq.clientResult(serverQuery)).attrs())
                .containsEntry("to", "@s.whatsapp.net")
                .containsEntry("type", "result")
                .containsEntry("id", "p1");
        Node refused = wire(Iq.clientError("p1", null, 501, "feature-not-implemented"));
        assertThat(Iq.from(refused).error().orElseThrow().describe()).isEqualTo("501 feature-not-implemented");
        assertThatThrownBy(() -> Iq.from(Node.of("ack"))).isInstanceOf(ProtocolException.class);
    }

    @Test
    void pairingStanzas() {
        PairDevice offer = new PairDevice("s1", List.of("2@a", "2@b"));
        assertThat(PairDevice.from(wire(offer.toNode()))).contains(offer);
        assertThat(PairDevice.from(wire(Iq.toServer("x", Iq.SET, "md")))).isEmpty();

        PairSuccess success = new PairSuccess(
                "s2", new byte[] {1, 2}, "android", "5511:1@s.whatsapp.net", "77:1@lid", "Acme Business");
        PairSuccess back = PairSuccess.from(wire(success.toNode())).orElseThrow();
        assertThat(back.deviceIdentity()).containsExactly(1, 2);
        assertThat(List.of(back.id(), back.platform(), back.jid(), back.lid(), back.businessName()))
                .containsExactly("s2", "android", "5511:1@s.whatsapp.net", "77:1@lid", "Acme Business");

        PairDeviceSign sign = new PairDeviceSign("s2", "1", new byte[] {9});
        Node signNode = wire(sign.toNode());
        assertThat(signNode.attrs()).containsEntry("type", "result").containsEntry("to", "@s.whatsapp.net");
        PairDeviceSign signBack = PairDeviceSign.from(signNode).orElseThrow();
        assertThat(signBack.keyIndex()).isEqualTo("1");
        assertThat(signBack.deviceIdentity()).containsExactly(9);
    }

    @Test
    void pairingCodeStanzas() {
        LinkCode.Hello hello =
                new LinkCode.Hello("h1", "5511@s.whatsapp.net", new byte[80], new byte[32], "1", "Chrome (Linux)");
        Node helloNode = wire(hello.toNode());
        Node reg = helloNode.child(LinkCode.TAG);
        assertThat(reg.attrs())
                .containsEntry("stage", "companion_hello")
                .containsEntry("should_show_push_notification", "true");
        assertThat(reg.child("link_code_pairing_nonce").contentBytes()).containsExactly(0);
        LinkCode.Hello helloBack = LinkCode.Hello.from("h1", reg);
        assertThat(List.of(helloBack.phoneJid(), helloBack.platformId(), helloBack.platformDisplay()))
                .containsExactly("5511@s.whatsapp.net", "1", "Chrome (Linux)");
        assertThat(LinkCode.Hello.refIn(wire(LinkCode.Hello.answer(helloNode, "2@ref"))))
                .isEqualTo("2@ref");
        assertThatThrownBy(() -> LinkCode.Hello.refIn(wire(Iq.serverError(helloNode, 400, "bad-request"))))
                .hasMessageContaining("400 bad-request");
        assertThatThrownBy(() -> LinkCode.Hello.refIn(wire(Iq.serverResult(helloNode))))
                .hasMessageContaining("no link_code_pairing_ref");

        LinkCode.PrimaryHello primary = new LinkCode.PrimaryHello("2@ref", new byte[32], new byte[80]);
        Node notification = wire(primary.toNode("n1", 1700000000));
        assertThat(notification.attrs()).containsEntry("type", LinkCode.TAG).containsEntry("from", "@s.whatsapp.net");
        assertThat(LinkCode.PrimaryHello.from(notification.child(LinkCode.TAG)).ref())
                .isEqualTo("2@ref");

        LinkCode.Finish finish = new LinkCode.Finish("f1", "5511@s.whatsapp.net", new byte[60], new byte[32], "2@ref");
        Node finishNode = wire(finish.toNode());
        assertThat(finishNode.child(LinkCode.TAG).attr("stage")).isEqualTo("companion_finish");
        LinkCode.Finish finishBack = LinkCode.Finish.from("f1", finishNode.child(LinkCode.TAG));
        assertThat(finishBack.ref()).isEqualTo("2@ref");
        assertThat(finishBack.wrappedKeyBundle()).hasSize(60);
    }

    @Test
    void endsOfStreams() {
        assertThat(StreamError.from(wire(StreamError.code(515).toNode())).code())
                .isEqualTo("515");
        assertThat(StreamError.from(wire(StreamError.replaced().toNode())).conflictType())
                .isEqualTo("replaced");
        StreamError removed = StreamError.from(wire(StreamError.deviceRemoved().toNode()));
        assertThat(removed.code()).isEqualTo("401");
        assertThat(removed.conflictType()).isEqualTo("device_removed");
        Node ack = StreamError.from(wire(StreamError.ackOwed("status", "S1").toNode()))
                .firstChild();
        assertThat(ack.attrs()).isEqualTo(Map.of("class", "status", "id", "S1"));

        assertThat(Failure.from(wire(Failure.temporaryBan(101, 3600).toNode())))
                .isEqualTo(new Failure(402, null, 101, 3600));
        assertThat(Failure.from(wire(Failure.at(405, "sim").toNode()))).isEqualTo(new Failure(405, "sim", 0, 0));
        assertThat(Failure.from(Node.of("failure")).reason())
                .as("no reason reads as 500")
                .isEqualTo(500);

        Success success = new Success(1700000000, "77:1@lid", 1690000000, "sim");
        assertThat(Success.from(wire(success.toNode()))).isEqualTo(success);
    }

    @Test
    void acksFollowWhatsmeowsRules() {
        Node status = Node.of(
                "status",
                Map.of("id", "S1", "from", "status@broadcast", "participant", "5511@s.whatsapp.net", "type", "text"));
        Ack ack = Ack.forStanza(status).orElseThrow();
        assertThat(wire(ack.toNode()).attrs())
                .isEqualTo(Map.of(
                        "class",
                        "status",
                        "id",
                        "S1",
                        "to",
                        "status@broadcast",
                        "participant",
                        "5511@s.whatsapp.net",
                        "type",
                        "text"));
        Node message = Node.of("message", Map.of("id", "M1", "from", "5511@s.whatsapp.net", "type", "text"));
        assertThat(Ack.forStanza(message).orElseThrow().type())
                .as("messages are acked without type")
                .isNull();
        assertThat(Ack.forStanza(Node.of("receipt", Map.of("id", "R1"))))
                .as("nobody to answer")
                .isEmpty();
        assertThat(Ack.from(wire(ack.toNode()))).isEqualTo(ack);
        assertThat(Ack.isOwedFor(message)).isTrue();
        assertThat(Ack.isOwedFor(Node.of("iq", Map.of("id", "1")))).isFalse();
    }

    @Test
    void receiptsMessagesNotificationsAndPreKeys() {
        Node receipt = Node.withChildren(
                "receipt",
                Map.of("id", "M1", "type", "read"),
                List.of(Node.withChildren("list", Map.of(), List.of(Node.of("item", Map.of("id", "M2"))))));
        assertThat(Receipt.from(receipt).deliveredIds()).containsExactly("M1", "M2");
        assertThat(Receipt.from(Node.of("receipt", Map.of("id", "M1", "type", "retry")))
                        .deliveredIds())
                .isEmpty();

        Message m = Message.plaintext("M1", "77@lid", 1700000000, "5511@s.whatsapp.net", new byte[] {10, 1, 'x'});
        Message back = new Message(wire(m.toNode()));
        assertThat(back.plaintext()).containsExactly(10, 1, 'x');
        assertThat(back.node().attr("sender_pn")).isEqualTo("5511@s.whatsapp.net");
        assertThat(back.encrypted()).isFalse();

        Notification low = Notification.from(wire(Notification.preKeysLow("n1", 1700000000, 3)));
        assertThat(low.preKeyCount()).hasValue(3);
        assertThat(low.from()).isEqualTo("@s.whatsapp.net");
        assertThat(Notification.from(Node.of("notification", Map.of("type", "devices")))
                        .preKeyCount())
                .isEmpty();

        assertThat(PreKeyCount.in(wire(PreKeyCount.answer(PreKeyCount.query("c1"), 42))))
                .isEqualTo(42);
        assertThat(PreKeyCount.in(Node.of("iq"))).isEqualTo(-1);
        PreKeyUpload upload = new PreKeyUpload(
                0x01020304,
                new byte[32],
                List.of(new PreKeyUpload.Key(0x0a0b0c, new byte[32])),
                Optional.of(new PreKeyUpload.SignedKey(1, new byte[32], new byte[64])));
        Node uploadNode = wire(upload.toNode("u1"));
        assertThat(uploadNode.child("registration").contentBytes()).containsExactly(1, 2, 3, 4);
        PreKeyUpload read = PreKeyUpload.from(uploadNode);
        assertThat(read.registrationId()).isEqualTo(0x01020304);
        assertThat(read.keys())
                .singleElement()
                .satisfies(k -> assertThat(k.id()).isEqualTo(0x0a0b0c));
        assertThat(read.signedPreKey())
                .hasValueSatisfying(s -> assertThat(s.signature()).hasSize(64));
        Node badKey = Node.withChildren(
                "iq",
                Map.of("id", "u2"),
                List.of(Node.withChildren(
                        "list",
                        Map.of(),
                        List.of(Node.withChildren("key", Map.of(), List.of(Node.of("id"))))))); // no value
        assertThatThrownBy(() -> PreKeyUpload.from(badKey)).isInstanceOf(ProtocolException.class);
    }
}
