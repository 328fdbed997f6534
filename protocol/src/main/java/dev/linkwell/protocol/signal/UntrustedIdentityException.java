package dev.linkwell.protocol.signal;

/** Under {@link IdentityPolicy#STRICT}: the peer's identity key is not the one we stored. */
public class UntrustedIdentityException extends SignalException {

    private final SignalAddress address;

    public UntrustedIdentityException(SignalAddress address) {
        super("identity key of " + address + " changed");
        this.address = address;
    }

    public SignalAddress address() {
        return address;
    }
}
