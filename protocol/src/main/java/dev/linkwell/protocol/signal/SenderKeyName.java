package dev.linkwell.protocol.signal;

import java.util.Objects;

/**
 * Names one sender's key in one group: the group JID string and the sender's address. Its string form
 * {@code group::name::device} is the key Baileys stores sender keys under (Signal/Group/sender-key-name.js).
 *
 * @param groupId the group JID as a string, e.g. {@code 120363000000000000@g.us}
 * @param sender  the sending device
 */
public record SenderKeyName(String groupId, SignalAddress sender) {

    public SenderKeyName {
        Objects.requireNonNull(groupId, "groupId");
        Objects.requireNonNull(sender, "sender");
        if (groupId.isEmpty()) {
            throw new IllegalArgumentException("group id is empty");
        }
    }

    @Override
    public String toString() {
        return groupId + "::" + sender.name() + "::" + sender.device();
    }
}
