package dev.linkwell.client.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.linkwell.client.engine.Registration;
import dev.linkwell.protocol.crypto.XEdDSA;
import java.security.SecureRandom;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class CredentialsCodecTest {

    private final SecureRandom random = new SecureRandom();

    @Test
    void newDeviceRoundTrips() {
        Credentials c = Registration.newDevice(random);
        assertThat(CredentialsCodec.decode(CredentialsCodec.encode(c))).isEqualTo(c);
        assertThat(c.paired()).isFalse();
    }

    @Test
    void pairedDeviceRoundTrips() {
        Credentials c = Registration.newDevice(random)
                .withPairing("5511999990000:3@s.whatsapp.net", "123456789:3@lid", "android", null, new byte[] {1, 2, 3})
                .withPreKeyCounters(31, 31);
        Credentials back = CredentialsCodec.decode(CredentialsCodec.encode(c));
        assertThat(back).isEqualTo(c);
        assertThat(back.paired()).isTrue();
        assertThat(back.me()).isEqualTo("5511999990000:3@s.whatsapp.net");
        assertThat(back.businessName()).isNull();
    }

    @Test
    void signedPreKeySignatureVerifiesUnderTheIdentityKey() {
        Credentials c = Registration.newDevice(random);
        assertThat(XEdDSA.verify(
                        c.identityKey().publicKey(),
                        c.signedPreKey().keyPair().signalPublicKey(),
                        c.signedPreKey().signature()))
                .isTrue();
        assertThat(c.registrationId()).isBetween(0, 16383);
    }

    @Test
    void damagedBlobsAreRefusedNotGuessed() {
        byte[] blob = CredentialsCodec.encode(Registration.newDevice(random));
        assertThatThrownBy(() -> CredentialsCodec.decode(Arrays.copyOf(blob, blob.length - 3)))
                .isInstanceOf(CredentialsCodec.CorruptCredentialsException.class);
        byte[] badMagic = blob.clone();
        badMagic[0] = 'X';
        assertThatThrownBy(() -> CredentialsCodec.decode(badMagic)).hasMessageContaining("magic");
        byte[] future = blob.clone();
        future[5] = 9;
        assertThatThrownBy(() -> CredentialsCodec.decode(future)).hasMessageContaining("format 9");
    }

    @Test
    void unknownFieldsAreSkipped() {
        byte[] blob = CredentialsCodec.encode(Registration.newDevice(random));
        byte[] extended = Arrays.copyOf(blob, blob.length + 7);
        extended[blob.length] = (byte) 200; // unknown tag
        extended[blob.length + 4] = 2; // length 2
        assertThat(CredentialsCodec.decode(extended)).isEqualTo(CredentialsCodec.decode(blob));
    }

    @Test
    void toStringNeverShowsKeys() {
        Credentials c = Registration.newDevice(random);
        String s = c.toString() + c.noiseKey() + c.signedPreKey();
        assertThat(s)
                .doesNotContain(java.util.HexFormat.of().formatHex(c.noiseKey().privateKey()));
        assertThat(s).doesNotContain(java.util.HexFormat.of().formatHex(c.advSecret()));
    }

    @Test
    void repositoryStoresCreds() {
        MemoryCredentialStore store = new MemoryCredentialStore();
        CredentialsRepository repo = new CredentialsRepository(store, "s1");
        assertThat(repo.load()).isEmpty();
        Credentials c = Registration.newDevice(random);
        repo.save(c);
        assertThat(repo.load()).contains(c);
        assertThat(store.names("s1")).containsExactly("creds");
        repo.purge();
        assertThat(store.exists("s1")).isFalse();
    }
}
