package dev.linkwell.client.message;

import dev.linkwell.protocol.proto.Message;
import dev.linkwell.protocol.proto.Message.ProtocolMessage;
import java.util.Set;

/**
 * What a decrypted Message protobuf says to the user: its kind ({@code type} of {@code session.message}), its text,
 * and whether it is a user message at all. Wrappers (a copy our phone sent, {@code ephemeralMessage},
 * {@code viewOnceMessage*}, {@code documentWithCaptionMessage}, {@code editedMessage}) are looked through, as
 * whatsmeow's getTypeFromMessage (send.go) and Baileys' normalizeMessageContent do.
 *
 * <p>Not user messages: a message carrying only a sender key distribution or only a {@code messageContextInfo}
 * (the first part of a group message), and the protocol messages our own phone sends its companions
 * (history-sync notification, app-state keys and their requests, peer data operations...), which whatsmeow and
 * Baileys 7 (Utils/process-message.js, SELF_ONLY_TYPES) act on and never show.
 */
public final class MessageContent {

    /** Protocol messages that only our own devices send each other. */
    private static final Set<ProtocolMessage.Type> DEVICE_ONLY = Set.of(
            ProtocolMessage.Type.HISTORY_SYNC_NOTIFICATION,
            ProtocolMessage.Type.APP_STATE_SYNC_KEY_SHARE,
            ProtocolMessage.Type.APP_STATE_SYNC_KEY_REQUEST,
            ProtocolMessage.Type.MSG_FANOUT_BACKFILL_REQUEST,
            ProtocolMessage.Type.INITIAL_SECURITY_NOTIFICATION_SETTING_SYNC,
            ProtocolMessage.Type.APP_STATE_FATAL_EXCEPTION_NOTIFICATION,
            ProtocolMessage.Type.PEER_DATA_OPERATION_REQUEST_MESSAGE,
            ProtocolMessage.Type.PEER_DATA_OPERATION_REQUEST_RESPONSE_MESSAGE,
            ProtocolMessage.Type.EPHEMERAL_SYNC_RESPONSE);

    private MessageContent() {}

    /** The message inside the wrappers. */
    public static Message unwrap(Message m) {
        Message current = m;
        for (int depth = 0; depth < 8; depth++) {
            Message inner;
            if (current.hasDeviceSentMessage() && current.getDeviceSentMessage().hasMessage()) {
                inner = current.getDeviceSentMessage().getMessage();
            } else if (current.hasEphemeralMessage()) {
                inner = current.getEphemeralMessage().getMessage();
            } else if (current.hasViewOnceMessage()) {
                inner = current.getViewOnceMessage().getMessage();
            } else if (current.hasViewOnceMessageV2()) {
                inner = current.getViewOnceMessageV2().getMessage();
            } else if (current.hasViewOnceMessageV2Extension()) {
                inner = current.getViewOnceMessageV2Extension().getMessage();
            } else if (current.hasDocumentWithCaptionMessage()) {
                inner = current.getDocumentWithCaptionMessage().getMessage();
            } else if (current.hasEditedMessage()) {
                inner = current.getEditedMessage().getMessage();
            } else {
                return current;
            }
            current = inner;
        }
        return current;
    }

    /** Whether the user should see it: anything but key distribution and our devices' own protocol messages. */
    public static boolean isUserMessage(Message m) {
        Message c = unwrap(m);
        if (c.hasProtocolMessage()) {
            return !DEVICE_ONLY.contains(c.getProtocolMessage().getType());
        }
        Message.Builder rest = c.toBuilder().clearSenderKeyDistributionMessage().clearMessageContextInfo();
        return !rest.build().equals(Message.getDefaultInstance());
    }

    /**
     * {@code text}, {@code image}, {@code video}, {@code audio}, {@code document}, {@code sticker}, {@code location},
     * {@code contact}, {@code reaction}, {@code poll}, {@code revoke}, {@code edit}, {@code protocol}, or
     * {@code unknown} for a kind this engine does not name.
     */
    public static String type(Message m) {
        Message c = unwrap(m);
        if (c.hasConversation() || c.hasExtendedTextMessage()) {
            return "text";
        } else if (c.hasImageMessage()) {
            return "image";
        } else if (c.hasVideoMessage() || c.hasPtvMessage()) {
            return "video";
        } else if (c.hasAudioMessage()) {
            return "audio";
        } else if (c.hasDocumentMessage()) {
            return "document";
        } else if (c.hasStickerMessage()) {
            return "sticker";
        } else if (c.hasLocationMessage()) {
            return "location";
        } else if (c.hasContactMessage()) {
            return "contact";
        } else if (c.hasReactionMessage()) {
            return "reaction";
        } else if (c.hasPollCreationMessage() || c.hasPollCreationMessageV2() || c.hasPollCreationMessageV3()) {
            return "poll";
        } else if (c.hasProtocolMessage()) {
            return switch (c.getProtocolMessage().getType()) {
                case REVOKE -> "revoke";
                case MESSAGE_EDIT -> "edit";
                default -> "protocol";
            };
        }
        return "unknown";
    }

    /** The text a person wrote: the message, or the caption of an image, video or document; null when none. */
    public static String text(Message m) {
        Message c = unwrap(m);
        if (c.hasConversation()) {
            return c.getConversation();
        } else if (c.hasExtendedTextMessage()) {
            return c.getExtendedTextMessage().getText();
        } else if (c.hasImageMessage() && c.getImageMessage().hasCaption()) {
            return c.getImageMessage().getCaption();
        } else if (c.hasVideoMessage() && c.getVideoMessage().hasCaption()) {
            return c.getVideoMessage().getCaption();
        } else if (c.hasDocumentMessage() && c.getDocumentMessage().hasCaption()) {
            return c.getDocumentMessage().getCaption();
        }
        return null;
    }
}
