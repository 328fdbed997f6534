package dev.linkwell.protocol.signal;

/** The {@code type} attribute of an {@code <enc>} node. */
public enum CiphertextType {
    /** A {@link dev.linkwell.protocol.signal.PreKeySignalMessage}: the first messages of a session. */
    PKMSG("pkmsg"),
    /** A {@link dev.linkwell.protocol.signal.SignalMessage}: a ratchet message. */
    MSG("msg"),
    /** A {@link dev.linkwell.protocol.signal.SenderKeyMessage}: a group message. */
    SKMSG("skmsg");

    private final String wireName;

    CiphertextType(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return wireName;
    }

    /** The type of an {@code <enc type=..>}; {@link InvalidMessageException} for anything else. */
    public static CiphertextType fromWireName(String name) {
        for (CiphertextType t : values()) {
            if (t.wireName.equals(name)) {
                return t;
            }
        }
        throw new InvalidMessageException("unknown <enc> type: " + name);
    }
}
