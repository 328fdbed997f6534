package dev.linkwell.client.message;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import com.google.protobuf.UnknownFieldSet;
import dev.linkwell.protocol.proto.Message;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What a decrypted Message says to the user (type, text, whether it is one) and its {@code raw} JSON. */
class MessageContentTest {

    private static Message text(String t) {
        return Message.newBuilder().setConversation(t).build();
    }

    private static Message.FutureProofMessage wrap(Message m) {
        return Message.FutureProofMessage.newBuilder().setMessage(m).build();
    }

    @Test
    void typesAndTextLookThroughWrappers() {
        Message image = Message.newBuilder()
                .setImageMessage(Message.ImageMessage.newBuilder().setCaption("look"))
                .build();
        assertThat(MessageContent.type(image)).isEqualTo("image");
        assertThat(MessageContent.text(image)).isEqualTo("look");
        Message ephemeralViewOnce = Message.newBuilder()
                .setEphemeralMessage(wrap(
                        Message.newBuilder().setViewOnceMessageV2(wrap(image)).build()))
                .build();
        assertThat(MessageContent.type(ephemeralViewOnce)).isEqualTo("image");
        assertThat(MessageContent.text(ephemeralViewOnce)).isEqualTo("look");
        Message copy = Message.newBuilder()
                .setDeviceSentMessage(Message.DeviceSentMessage.newBuilder()
                        .setDestinationJid("1@s.whatsapp.net")
                        .setMessage(text("mine")))
                .build();
        assertThat(MessageContent.type(copy)).isEqualTo("text");
        assertThat(MessageContent.text(copy)).isEqualTo("mine");
        assertThat(MessageContent.type(Message.newBuilder()
                        .setReactionMessage(Message.ReactionMessage.newBuilder().setText("👍"))
                        .build()))
                .isEqualTo("reaction");
        assertThat(MessageContent.text(Message.newBuilder()
                        .setReactionMessage(Message.ReactionMessage.newBuilder().setText("👍"))
                        .build()))
                .isNull();
        assertThat(MessageContent.type(Message.newBuilder()
                        .setPollCreationMessageV3(
                                Message.PollCreationMessage.newBuilder().setName("lunch?"))
                        .build()))
                .isEqualTo("poll");
        assertThat(MessageContent.type(Message.newBuilder()
                        .setProtocolMessage(
                                Message.ProtocolMessage.newBuilder().setType(Message.ProtocolMessage.Type.REVOKE))
                        .build()))
                .isEqualTo("revoke");
        Message unknownKind = Message.newBuilder()
                .setUnknownFields(UnknownFieldSet.newBuilder()
                        .addField(
                                75,
                                UnknownFieldSet.Field.newBuilder()
                                        .addLengthDelimited(ByteString.copyFromUtf8("x"))
                                        .build())
                        .build())
                .build();
        assertThat(MessageContent.type(unknownKind)).isEqualTo("unknown");
        assertThat(MessageContent.isUserMessage(unknownKind))
                .as("a kind we do not know is still shown")
                .isTrue();
    }

    @Test
    void keyDistributionAndOurPhonesProtocolMessagesAreNotUserMessages() {
        Message distributionOnly = Message.newBuilder()
                .setSenderKeyDistributionMessage(
                        Message.SenderKeyDistributionMessage.newBuilder().setGroupId("120363000000000001@g.us"))
                .setMessageContextInfo(dev.linkwell.protocol.proto.MessageContextInfo.newBuilder()
                        .setDeviceListMetadataVersion(2))
                .build();
        assertThat(MessageContent.isUserMessage(distributionOnly)).isFalse();
        assertThat(MessageContent.isUserMessage(
                        distributionOnly.toBuilder().setConversation("hi").build()))
                .isTrue();
        for (Message.ProtocolMessage.Type own : List.of(
                Message.ProtocolMessage.Type.HISTORY_SYNC_NOTIFICATION,
                Message.ProtocolMessage.Type.APP_STATE_SYNC_KEY_SHARE,
                Message.ProtocolMessage.Type.PEER_DATA_OPERATION_REQUEST_RESPONSE_MESSAGE)) {
            assertThat(MessageContent.isUserMessage(Message.newBuilder()
                            .setProtocolMessage(
                                    Message.ProtocolMessage.newBuilder().setType(own))
                            .build()))
                    .as(own.name())
                    .isFalse();
        }
        assertThat(MessageContent.isUserMessage(Message.newBuilder()
                        .setProtocolMessage(
                                Message.ProtocolMessage.newBuilder().setType(Message.ProtocolMessage.Type.MESSAGE_EDIT))
                        .build()))
                .isTrue();
    }

    @Test
    void rawFollowsProtobufsJsonMappingAndKeepsWhatTheSchemaDoesNotKnow() {
        Message m = Message.newBuilder()
                .setImageMessage(Message.ImageMessage.newBuilder()
                        .setMediaKey(ByteString.copyFrom(new byte[] {1, 2, 3}))
                        .setFileLength(-1L)
                        .setWidth(640)
                        .setUnknownFields(UnknownFieldSet.newBuilder()
                                .addField(
                                        34,
                                        UnknownFieldSet.Field.newBuilder()
                                                .addLengthDelimited(ByteString.copyFromUtf8("qr"))
                                                .build())
                                .addField(
                                        99,
                                        UnknownFieldSet.Field.newBuilder()
                                                .addVarint(7)
                                                .build())
                                .build()))
                .setProtocolMessage(Message.ProtocolMessage.newBuilder()
                        .setType(Message.ProtocolMessage.Type.APP_STATE_SYNC_KEY_SHARE))
                .build();
        Map<String, Object> raw = ProtoJson.toMap(m);
        assertThat(raw).containsOnlyKeys("imageMessage", "protocolMessage");
        @SuppressWarnings("unchecked")
        Map<String, Object> image = (Map<String, Object>) raw.get("imageMessage");
        assertThat(image)
                .containsEntry("mediaKey", "AQID")
                .containsEntry("fileLength", "18446744073709551615")
                .containsEntry("width", 640L)
                .containsEntry("unknownFields", Map.of("34", "cXI=", "99", "7"));
        assertThat(raw.get("protocolMessage")).isEqualTo(Map.of("type", "APP_STATE_SYNC_KEY_SHARE"));
        assertThat(List.copyOf(image.keySet()))
                .as("field-number order")
                .containsExactly("fileLength", "width", "mediaKey", "unknownFields");
    }
}
