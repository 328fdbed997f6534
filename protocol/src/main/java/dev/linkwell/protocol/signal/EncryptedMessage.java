package dev.linkwell.protocol.signal;

import java.util.Objects;

/**
 * One encrypted message, ready for {@code <enc v="2" type=type>body</enc>}.
 *
 * @param type {@link CiphertextType#PKMSG} until the peer has answered the session, then {@link CiphertextType#MSG}
 * @param body the wire bytes
 */
public record EncryptedMessage(CiphertextType type, byte[] body) {

    public EncryptedMessage {
        Objects.requireNonNull(type, "type");
        body = body.clone();
    }

    @Override
    public byte[] body() {
        return body.clone();
    }

    @Override
    public String toString() {
        return "EncryptedMessage[" + type.wireName() + ", " + body.length + " bytes]";
    }
}
