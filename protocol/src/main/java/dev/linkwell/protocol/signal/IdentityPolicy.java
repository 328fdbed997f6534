package dev.linkwell.protocol.signal;

/** What to do when a peer's identity key is not the one we stored for its address. */
public enum IdentityPolicy {
    /**
     * What WhatsApp clients do: trust a key on first use and, when it changes (the peer reinstalled or
     * re-linked), replace it and drop the sessions built on the old key. The change is reported to the
     * caller ({@link DecryptedMessage#identityChanged()}). Baileys 7.0.0-rc14 Signal/libsignal.js
     * (isTrustedIdentity answers true; saveIdentity clears the session on a new key) and whatsmeow with
     * AutoTrustIdentity (on ErrUntrustedIdentity it calls clearUntrustedIdentity, dropping the stored
     * identity and sessions, and tries again).
     */
    TRUST_ON_FIRST_USE,
    /** Refuse a changed key with {@link UntrustedIdentityException}; the caller decides. */
    STRICT
}
