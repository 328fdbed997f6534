package dev.linkwell.protocol.stanza;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.linkwell.protocol.ProtocolException;
import dev.linkwell.protocol.binary.BinaryFrames;
import dev.linkwell.protocol.binary.Node;
import dev.linkwell.protocol.binary.TokenDictionary;
import dev.linkwell.protocol.jid.Jid;
import dev.linkwell.protocol.signal.InMemorySignalStore;
import dev.linkwell.protocol.signal.PreKeyBundle;
import java.security.SecureRandom;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

/** What a sending device and the server exchange (usync devices, prekey fetch, the message, the ack), after a trip through the codec. */
class SendingStanzasTest {

    private static final SecureRandom RANDOM = new SecureRandom();

    private static Node wire(Node node) {
        return BinaryFrames.decodeFrame(BinaryFrames.encodeFrame(node, TokenDictionary.V3), TokenDictionary.V3);
    }

    @Test
    void usyncDeviceQueryAsksDevicesAndLidForUsersWithoutDevice() {
        Node query = wire(Usync.deviceQuery(
                "q1", "sid-9", List.of(Jid.parse("51987654321:3@s.whatsapp.net"), Jid.parse("123456@lid"))));
        assertThat(query.attrs()).containsEntry("xmlns", "usync").containsEntry("type", "get");
        Node usync = query.child("usync");
        // whatsmeow user.go GetUserDevices: mode query, context message; Baileys adds the lid protocol
        assertThat(usync.attrs())
                .containsEntry("sid", "sid-9")
                .containsEntry("mode", "query")
                .containsEntry("context", "message")
                .containsEntry("last", "true")
                .containsEntry("index", "0");
        assertThat(usync.child("query").children()).extracting(Node::tag).containsExactly("devices", "lid");
        assertThat(usync.child("query").child("devices").attr("version")).isEqualTo("2");

        Usync.Request request = Usync.Request.from(query);
        assertThat(request.protocols()).containsExactly("devices", "lid");
        assertThat(request.users())
                .containsExactly(
                        new Usync.Asked("51987654321@s.whatsapp.net", null), new Usync.Asked("123456@lid", null));
        assertThatThrownBy(() -> Usync.Request.from(Node.of("iq"))).isInstanceOf(ProtocolException.class);
    }

    @Test
    void usyncAnswersCarryOneChildPerProtocolAsked() {
        Node query = Usync.deviceQuery("q1", "s", List.of(Jid.parse("51987654321@s.whatsapp.net")));
        List<Usync.User> users = List.of(
                new Usync.User(
                        "51987654321@s.whatsapp.net",
                        Optional.of("777@lid"),
                        Optional.of(List.of(new Usync.Device(0, 0, false), new Usync.Device(4, 2, false)))),
                new Usync.User("5215550000@s.whatsapp.net", Optional.empty(), Optional.empty()));
        Node answer = wire(Usync.answer(query, List.of("devices", "lid"), users));
        assertThat(answer.attrs()).containsEntry("type", "result").containsEntry("id", "q1");
        List<Usync.User> read = Usync.users(answer);
        assertThat(read.get(0)).isEqualTo(users.get(0));
        assertThat(read.get(1).devices()).contains(List.of());
        assertThat(read.get(1).lid()).isEmpty();
        Node second = answer.child("usync").child("list").children("user").get(1);
        assertThat(second.child("lid").attrs())
                .as("an empty <lid/>: no LID known")
                .isEmpty();

        Node lidOnly = wire(Usync.answer(query, List.of("lid"), users));
        assertThat(Usync.users(lidOnly).get(0).devices()).isEmpty();
        assertThatThrownBy(() -> Usync.users(Node.of("iq"))).isInstanceOf(ProtocolException.class);
    }

    @Test
    void usyncSkipsDevicesItCannotRead() {
        Node deviceList = Node.withChildren(
                "device-list",
                Map.of(),
                List.of(
                        Node.of("device", Map.of("id", "0")),
                        Node.of("device", Map.of("id", "x")),
                        Node.of("device", Map.of("id", "70000")),
                        Node.of("other", Map.of("id", "3")),
                        Node.of("device", Map.of("id", "5", "key-index", "9", "is_hosted", "true"))));
        Node user = Node.withChildren(
                "user",
                Map.of("jid", "5@s.whatsapp.net"),
                List.of(Node.withChildren("devices", Map.of(), List.of(deviceList))));
        Node list = Node.withChildren("list", Map.of(), List.of(user, Node.of("user")));
        Node answer =
                Iq.serverResult(Node.of("iq", Map.of("id", "1")), Node.withChildren("usync", Map.of(), List.of(list)));
        List<Usync.User> users = Usync.users(answer);
        assertThat(users).hasSize(1);
        assertThat(users.get(0).devices())
                .contains(List.of(new Usync.Device(0, 0, false), new Usync.Device(5, 9, true)));
    }

    @Test
    void preKeyFetchRoundTripsBundlesWithAndWithoutOneTimeKeyAndPerDeviceErrors() {
        Node query = wire(PreKeyFetch.query(
                "k1",
                List.of(Jid.parse("51987654321@s.whatsapp.net"), Jid.parse("51987654321:4@s.whatsapp.net")),
                true));
        assertThat(PreKeyFetch.is(query)).isTrue();
        assertThat(query.child("key").children())
                .allSatisfy(u -> assertThat(u.attr("reason")).isEqualTo("identity"));
        assertThat(PreKeyFetch.requested(query))
                .containsExactly("51987654321@s.whatsapp.net", "51987654321:4@s.whatsapp.net");

        InMemorySignalStore peer = InMemorySignalStore.generate(2, RANDOM);
        PreKeyBundle full = peer.bundle(1, OptionalInt.of(2));
        PreKeyBundle signedOnly = PreKeyBundle.withoutPreKey(
                full.registrationId(),
                full.identityKey(),
                full.signedPreKeyId(),
                full.signedPreKey(),
                full.signedPreKeySignature());
        Node answer = wire(PreKeyFetch.answer(
                query,
                List.of(
                        PreKeyFetch.bundleNode("51987654321@s.whatsapp.net", full),
                        PreKeyFetch.bundleNode("51987654321:4@s.whatsapp.net", signedOnly),
                        PreKeyFetch.errorNode("51987654321:9@s.whatsapp.net", 406, "not-acceptable"))));
        Node first = answer.child("list").children("user").get(0);
        // whatsmeow nodeToPreKeyBundle: 4-byte registration, 32-byte keys, 3-byte ids
        assertThat(first.child("registration").contentBytes()).hasSize(4);
        assertThat(first.child("identity").contentBytes()).hasSize(32);
        assertThat(first.child("skey").child("id").contentBytes()).hasSize(3);
        assertThat(first.child("type").contentBytes()).containsExactly(5);

        Map<String, PreKeyFetch.Result> results = PreKeyFetch.results(answer);
        PreKeyBundle read = results.get("51987654321@s.whatsapp.net").bundle().orElseThrow();
        assertThat(read.registrationId()).isEqualTo(full.registrationId());
        assertThat(read.identityKey()).isEqualTo(full.identityKey());
        assertThat(read.preKeyId()).isEqualTo(OptionalInt.of(2));
        assertThat(read.preKey()).isEqualTo(full.preKey());
        assertThat(read.signedPreKeySignature()).isEqualTo(full.signedPreKeySignature());
        assertThat(results.get("51987654321:4@s.whatsapp.net")
                        .bundle()
                        .orElseThrow()
                        .preKeyId())
                .isEmpty();
        assertThat(results.get("51987654321:9@s.whatsapp.net").error()).contains(new IqError(406, "not-acceptable"));
    }

    @Test
    void aMalformedBundleIsThatDevicesErrorAndTheKeysWrapperIsAccepted() {
        InMemorySignalStore peer = InMemorySignalStore.generate(1, RANDOM);
        Node good = PreKeyFetch.bundleNode("1@s.whatsapp.net", peer.bundle(1, OptionalInt.of(1)));
        // the key parts inside <keys>, as whatsmeow and whatsapp-rust also accept
        Node wrapped = Node.withChildren(
                "user",
                Map.of("jid", "2@s.whatsapp.net"),
                List.of(
                        good.child("registration"),
                        Node.withChildren(
                                "keys",
                                Map.of(),
                                good.children().stream()
                                        .filter(c -> !c.tag().equals("registration"))
                                        .toList())));
        Node shortIdentity = Node.withChildren(
                "user",
                Map.of("jid", "3@s.whatsapp.net"),
                good.children().stream()
                        .map(c -> c.tag().equals("identity") ? Node.withBytes("identity", Map.of(), new byte[31]) : c)
                        .toList());
        Node answer = PreKeyFetch.answer(Node.of("iq", Map.of("id", "k")), List.of(good, wrapped, shortIdentity));
        Map<String, PreKeyFetch.Result> results = PreKeyFetch.results(wire(answer));
        assertThat(results.get("1@s.whatsapp.net").bundle()).isPresent();
        assertThat(results.get("2@s.whatsapp.net").bundle()).isPresent();
        assertThat(results.get("3@s.whatsapp.net").error().orElseThrow().text())
                .contains("identity key must be 32 bytes");
        assertThatThrownBy(() -> PreKeyFetch.results(Node.of("iq"))).isInstanceOf(ProtocolException.class);
    }

    @Test
    void theMessageFansOutOneEncPerDeviceWithTheDeviceIdentityAfterAPreKeyMessage() {
        OutboundMessage message = OutboundMessage.fanOut(
                "3EB0AA",
                "51987654321@s.whatsapp.net",
                "text",
                Map.of(),
                List.of(
                        new OutboundMessage.Participant(
                                "51987654321@s.whatsapp.net", Enc.of("pkmsg", new byte[] {1, 2})),
                        new OutboundMessage.Participant("5511:2@s.whatsapp.net", Enc.of("msg", new byte[] {3}))),
                Optional.of(new byte[] {9, 9}));
        Node node = wire(message.toNode());
        assertThat(node.tag()).isEqualTo("message");
        assertThat(node.attrs())
                .containsEntry("id", "3EB0AA")
                .containsEntry("to", "51987654321@s.whatsapp.net")
                .containsEntry("type", "text");
        assertThat(node.children()).extracting(Node::tag).containsExactly("participants", "device-identity");
        Node enc = node.child("participants").children().getFirst().child("enc");
        assertThat(enc.attrs()).containsEntry("v", "2").containsEntry("type", "pkmsg");

        OutboundMessage read = OutboundMessage.from(node);
        assertThat(read.id()).isEqualTo("3EB0AA");
        assertThat(read.participants()).isEqualTo(message.participants());
        assertThat(read.deviceIdentity()).hasValueSatisfying(d -> assertThat(d).containsExactly(9, 9));
        assertThat(read.hasPreKeyMessage()).isTrue();
        assertThat(read.participants().getFirst().enc().version()).isEqualTo(2);
        assertThatThrownBy(() -> OutboundMessage.from(Node.of("receipt"))).isInstanceOf(ProtocolException.class);
    }

    @Test
    void aResendCarriesOneEncWithItsRetryCount() {
        OutboundMessage resend = OutboundMessage.single(
                Map.of("id", "3EB0BB", "to", "5511:2@s.whatsapp.net", "type", "text"),
                Enc.of("msg", new byte[] {7}).withCount(2),
                Optional.empty());
        OutboundMessage read = OutboundMessage.from(wire(resend.toNode()));
        assertThat(read.participants()).isEmpty();
        assertThat(read.direct().orElseThrow().count()).isEqualTo(2);
        assertThat(read.direct().orElseThrow().version()).isEqualTo(2);
        assertThat(read.hasPreKeyMessage()).isFalse();
        assertThat(read.deviceIdentity()).isEmpty();

        Node badTo = Node.withChildren(
                "message",
                Map.of("id", "x"),
                List.of(Node.withChildren(
                        "participants", Map.of(), List.of(Node.of("to", Map.of("jid", "1@s.whatsapp.net"))))));
        assertThatThrownBy(() -> OutboundMessage.from(badTo)).isInstanceOf(ProtocolException.class);
        Node noBytes = Node.withChildren("message", Map.of("id", "x"), List.of(Node.of("enc", Map.of("type", "msg"))));
        assertThatThrownBy(() -> OutboundMessage.from(noBytes)).isInstanceOf(ProtocolException.class);
    }

    @Test
    void theServerAckSaysTakenOrRefusedWithItsCode() {
        ServerAck taken = ServerAck.from(
                wire(ServerAck.accepted("3EB0", "51987654321@s.whatsapp.net", 1_700_000_000L, "2:abcdefgh")
                        .toNode()));
        assertThat(taken.ackClass()).isEqualTo("message");
        assertThat(taken.error()).isEmpty();
        assertThat(taken.t()).isEqualTo(1_700_000_000L);
        assertThat(taken.phash()).isEqualTo("2:abcdefgh");
        ServerAck refused = ServerAck.from(wire(
                ServerAck.refused("3EB0", "51987654321@s.whatsapp.net", 5, 463).toNode()));
        assertThat(refused.error()).hasValue(463);
        assertThat(refused.phash()).isNull();
    }

    @Test
    void participantHashMatchesWhatsAppWebVectors() {
        // whatsapp-rust 1489b7da wacore/src/messages.rs phash_crosscheck_vectors (WA Web and whatsmeow agree)
        assertThat(ParticipantHash.of(List.of(Jid.parse("5511999999999:3@s.whatsapp.net"))))
                .isEqualTo("2:5s+YxCff");
        assertThat(ParticipantHash.of(List.of(Jid.parse("5511999999999@s.whatsapp.net"))))
                .isEqualTo("2:RJWVxcMQ");
        assertThat(ParticipantHash.of(List.of(
                        Jid.parse("7469250125917:21@s.whatsapp.net"), Jid.parse("5511988887777:14@s.whatsapp.net"))))
                .isEqualTo("2:AAv/hwhn");
    }
}
