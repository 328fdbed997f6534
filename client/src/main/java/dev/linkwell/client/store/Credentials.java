package dev.linkwell.client.store;

import dev.linkwell.protocol.crypto.KeyPair;
import java.util.Arrays;
import java.util.Objects;

/**
 * Everything a linked device must keep to log in again: its keys, its registration id, the secret
 * shared with the phone, and who it is once paired. Immutable; every change makes a new instance that
 * the engine writes through {@link CredentialsRepository} at once.
 *
 * <p>The field set follows what Baileys keeps in {@code creds.json} (Utils/auth-utils.js initAuthCreds)
 * and whatsmeow in its device store (store/store.go Device): noise key, identity key, signed prekey,
 * registration id, adv secret, own JID and LID, the signed device identity ("account"), platform and
 * the one-time prekey counters.
 *
 * @param noiseKey           the static Noise key the server knows this device by
 * @param identityKey        the Signal identity key; also signs the device identity at pairing
 * @param registrationId     Signal registration id (14 bits, Baileys generateRegistrationId)
 * @param signedPreKey       the signed prekey sent at registration
 * @param advSecret          32 random bytes shown in the QR (or derived in the code flow)
 * @param me                 own device JID ({@code user:device@s.whatsapp.net}); null before pairing
 * @param lid                own LID from pair-success or success; may be null
 * @param platform           the phone's platform name from pair-success; may be null
 * @param businessName       the business name from pair-success; may be null
 * @param account            the ADVSignedDeviceIdentity as received and counter-signed, with the
 *                           account signature key; null before pairing
 * @param nextPreKeyId       id the next generated one-time prekey gets
 * @param firstUnuploadedPreKeyId first prekey id the server has not been sent yet
 */
public record Credentials(
        KeyPair noiseKey,
        KeyPair identityKey,
        int registrationId,
        SignedPreKey signedPreKey,
        byte[] advSecret,
        String me,
        String lid,
        String platform,
        String businessName,
        byte[] account,
        int nextPreKeyId,
        int firstUnuploadedPreKeyId) {

    public Credentials {
        Objects.requireNonNull(noiseKey, "noiseKey");
        Objects.requireNonNull(identityKey, "identityKey");
        Objects.requireNonNull(signedPreKey, "signedPreKey");
        Objects.requireNonNull(advSecret, "advSecret");
        if (advSecret.length != 32) {
            throw new IllegalArgumentException("adv secret must be 32 bytes");
        }
        advSecret = advSecret.clone();
        account = account == null ? null : account.clone();
        if (nextPreKeyId < 1 || firstUnuploadedPreKeyId < 1 || firstUnuploadedPreKeyId > nextPreKeyId) {
            throw new IllegalArgumentException("bad prekey counters");
        }
    }

    /** A signed prekey: 24-bit id, key pair, XEdDSA signature by the identity key over {@code 05||pub}. */
    public record SignedPreKey(int id, KeyPair keyPair, byte[] signature) {
        public SignedPreKey {
            Objects.requireNonNull(keyPair, "keyPair");
            if (signature == null || signature.length != 64) {
                throw new IllegalArgumentException("signature must be 64 bytes");
            }
            signature = signature.clone();
        }

        @Override
        public byte[] signature() {
            return signature.clone();
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof SignedPreKey s
                    && id == s.id
                    && keyPair.equals(s.keyPair)
                    && Arrays.equals(signature, s.signature);
        }

        @Override
        public int hashCode() {
            return id;
        }

        @Override
        public String toString() {
            return "SignedPreKey[id=" + id + "]";
        }
    }

    public boolean paired() {
        return me != null && account != null;
    }

    @Override
    public byte[] advSecret() {
        return advSecret.clone();
    }

    @Override
    public byte[] account() {
        return account == null ? null : account.clone();
    }

    public Credentials withPairing(String me, String lid, String platform, String businessName, byte[] account) {
        return new Credentials(
                noiseKey,
                identityKey,
                registrationId,
                signedPreKey,
                advSecret,
                me,
                lid,
                platform,
                businessName,
                account,
                nextPreKeyId,
                firstUnuploadedPreKeyId);
    }

    public Credentials withAdvSecret(byte[] secret) {
        return new Credentials(
                noiseKey,
                identityKey,
                registrationId,
                signedPreKey,
                secret,
                me,
                lid,
                platform,
                businessName,
                account,
                nextPreKeyId,
                firstUnuploadedPreKeyId);
    }

    public Credentials withLid(String newLid) {
        return new Credentials(
                noiseKey,
                identityKey,
                registrationId,
                signedPreKey,
                advSecret,
                me,
                newLid,
                platform,
                businessName,
                account,
                nextPreKeyId,
                firstUnuploadedPreKeyId);
    }

    public Credentials withPreKeyCounters(int next, int firstUnuploaded) {
        return new Credentials(
                noiseKey,
                identityKey,
                registrationId,
                signedPreKey,
                advSecret,
                me,
                lid,
                platform,
                businessName,
                account,
                next,
                firstUnuploaded);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Credentials c
                && noiseKey.equals(c.noiseKey)
                && identityKey.equals(c.identityKey)
                && registrationId == c.registrationId
                && signedPreKey.equals(c.signedPreKey)
                && Arrays.equals(advSecret, c.advSecret)
                && Objects.equals(me, c.me)
                && Objects.equals(lid, c.lid)
                && Objects.equals(platform, c.platform)
                && Objects.equals(businessName, c.businessName)
                && Arrays.equals(account, c.account)
                && nextPreKeyId == c.nextPreKeyId
                && firstUnuploadedPreKeyId == c.firstUnuploadedPreKeyId;
    }

    @Override
    public int hashCode() {
        return Objects.hash(me, registrationId);
    }

    /** Never prints key material. */
    @Override
    public String toString() {
        return "Credentials[me=" + me + ", lid=" + lid + ", registrationId=" + registrationId + ", paired=" + paired()
                + ", nextPreKeyId=" + nextPreKeyId + "]";
    }
}
