package dev.linkwell.simulator;

import dev.linkwell.protocol.crypto.KeyPair;
import java.util.List;
import java.util.Objects;

/**
 * A scripted phone: a WhatsApp account (number + account identity key) that links companions and talks to
 * them. Obtained from {@link WaSimulator#addPhone(String)}; all work goes through its simulator, so a phone
 * is safe to use from any thread.
 */
public final class Phone {

    private final WaSimulator simulator;
    private final String id;
    private final String number;
    private final KeyPair accountKey;
    private final String lidUser;
    private final PhoneProfile profile;

    Phone(WaSimulator simulator, String id, String number, KeyPair accountKey, String lidUser, PhoneProfile profile) {
        this.simulator = Objects.requireNonNull(simulator);
        this.id = id;
        this.number = number;
        this.accountKey = accountKey;
        this.lidUser = lidUser;
        this.profile = Objects.requireNonNull(profile);
    }

    public PhoneProfile profile() {
        return profile;
    }

    /** The account's LID, {@code lidUser@lid}. */
    public String lid() {
        return lidUser + "@lid";
    }

    /** The address its messages come from: its LID when {@link PhoneProfile#lidAddressed()}, else its JID. */
    public String senderAddress() {
        return profile.lidAddressed() ? lid() : jid();
    }

    public String id() {
        return id;
    }

    public String number() {
        return number;
    }

    /** The account JID, {@code number@s.whatsapp.net}. */
    public String jid() {
        return number + "@s.whatsapp.net";
    }

    /** The account's LID user part (the simulator invents one per phone). */
    public String lidUser() {
        return lidUser;
    }

    /** The account identity public key (32 bytes): what signs the companion's ADV identity. */
    public byte[] accountPublicKey() {
        return accountKey.publicKey();
    }

    KeyPair accountKey() {
        return accountKey;
    }

    /**
     * Scans a companion's QR text, as the camera would: the ref must be one the server currently shows
     * on a connection that is waiting for pairing. Blocks until the companion answered pair-success with a
     * valid pair-device-sign (or the pairing timeout).
     */
    public LinkedDevice scan(String qrText) {
        return simulator.scan(this, QrCode.parse(qrText));
    }

    /**
     * Enters the 8-character pairing code a companion showed after {@code link_code_companion_reg
     * companion_hello} for this phone's number. Blocks until the link is complete.
     */
    public LinkedDevice enterCode(String code) {
        return simulator.enterCode(this, code);
    }

    /** Sends a text message from this phone to a device (delivered now, or when the device next logs in). */
    public String sendMessage(String deviceJid, String text) {
        return simulator.sendMessage(deviceJid, this, text);
    }

    /** The devices linked to this phone's account. */
    public List<LinkedDevice> linkedDevices() {
        return simulator.devices().stream().filter(d -> d.phoneId().equals(id)).toList();
    }

    /** Unlinks every device of this account (each connected one gets {@code 401 device_removed}). */
    public void removeLinkedDevices() {
        for (LinkedDevice d : linkedDevices()) {
            simulator.removeDevice(d.jid());
        }
    }

    @Override
    public String toString() {
        return "Phone[" + id + ", " + number + "]";
    }
}
