package dev.linkwell.simulator;

import java.time.Instant;
import java.util.Arrays;
import java.util.Objects;

/**
 * A companion linked to a phone's account, as the server remembers it after a verified pair-device-sign.
 *
 * @param jid                 device JID, {@code user:device@s.whatsapp.net}
 * @param lid                 device LID, {@code lidUser:device@lid}
 * @param phoneId             the phone (account) it is linked to
 * @param deviceId            the device number within the account (the phone itself is 0)
 * @param noisePublicKey      the companion's Noise static key; a login must present the same key
 * @param identityPublicKey   the companion's Signal identity key (from the QR / pairing-code bundle)
 * @param registrationId      Signal registration id from the registration payload
 * @param signedPreKeyId      signed prekey id from the registration payload
 * @param signedPreKeyPublic  signed prekey public key
 * @param signedPreKeySignature its signature by the identity key
 * @param keyIndex            ADV key index the phone assigned
 * @param platform            platform name sent in pair-success
 * @param method              "qr" or "code"
 * @param linkedAt            when the link was completed
 */
public record LinkedDevice(
        String jid,
        String lid,
        String phoneId,
        int deviceId,
        byte[] noisePublicKey,
        byte[] identityPublicKey,
        int registrationId,
        int signedPreKeyId,
        byte[] signedPreKeyPublic,
        byte[] signedPreKeySignature,
        int keyIndex,
        String platform,
        String method,
        Instant linkedAt) {

    public LinkedDevice {
        Objects.requireNonNull(jid, "jid");
        Objects.requireNonNull(phoneId, "phoneId");
        noisePublicKey = noisePublicKey == null ? new byte[0] : noisePublicKey.clone();
        identityPublicKey = identityPublicKey == null ? new byte[0] : identityPublicKey.clone();
        signedPreKeyPublic = signedPreKeyPublic == null ? new byte[0] : signedPreKeyPublic.clone();
        signedPreKeySignature = signedPreKeySignature == null ? new byte[0] : signedPreKeySignature.clone();
    }

    @Override
    public byte[] noisePublicKey() {
        return noisePublicKey.clone();
    }

    @Override
    public byte[] identityPublicKey() {
        return identityPublicKey.clone();
    }

    @Override
    public byte[] signedPreKeyPublic() {
        return signedPreKeyPublic.clone();
    }

    @Override
    public byte[] signedPreKeySignature() {
        return signedPreKeySignature.clone();
    }

    /** Value equality, comparing key bytes by content. */
    @Override
    public boolean equals(Object o) {
        return o instanceof LinkedDevice d
                && jid.equals(d.jid)
                && Objects.equals(lid, d.lid)
                && phoneId.equals(d.phoneId)
                && deviceId == d.deviceId
                && Arrays.equals(noisePublicKey, d.noisePublicKey)
                && Arrays.equals(identityPublicKey, d.identityPublicKey)
                && registrationId == d.registrationId
                && signedPreKeyId == d.signedPreKeyId
                && Arrays.equals(signedPreKeyPublic, d.signedPreKeyPublic)
                && Arrays.equals(signedPreKeySignature, d.signedPreKeySignature)
                && keyIndex == d.keyIndex
                && Objects.equals(platform, d.platform)
                && Objects.equals(method, d.method)
                && Objects.equals(linkedAt, d.linkedAt);
    }

    @Override
    public int hashCode() {
        return Objects.hash(jid, deviceId, Arrays.hashCode(noisePublicKey), Arrays.hashCode(identityPublicKey));
    }

    @Override
    public String toString() {
        return "LinkedDevice[" + jid + ", phone=" + phoneId + ", via " + method + "]";
    }
}
