package dev.linkwell.simulator;

import java.time.Instant;

/**
 * A message a phone received from a linked device and decrypted.
 *
 * @param from   the sending device, as the server relayed it (a LID when the message was LID-addressed)
 * @param chat   the conversation: the sender's account, or, for a message the phone's own companion sent
 *               ({@code fromMe}, a DeviceSentMessage), the chat it went to
 * @param fromMe sent by a companion of this phone's own account
 * @param text   the text ({@code conversation} or {@code extendedTextMessage.text}), or null when there is none
 */
public record ReceivedMessage(
        String id, String from, String chat, boolean fromMe, String type, String text, Instant at) {}
