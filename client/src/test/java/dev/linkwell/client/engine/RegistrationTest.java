package dev.linkwell.client.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.linkwell.client.store.Credentials;
import dev.linkwell.protocol.proto.ClientPayload;
import dev.linkwell.protocol.proto.DeviceProps;
import dev.linkwell.protocol.version.WaVersion;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import org.junit.jupiter.api.Test;

/** Payload shapes from whatsmeow 33cfac5 store/clientpayload.go and Baileys 7 Utils/validate-connection.js. */
class RegistrationTest {

    private final Credentials creds = Registration.newDevice(new SecureRandom());
    private final ClientConfig config = ClientConfig.defaults();

    @Test
    void registrationCarriesIdentityAndSignedPreKey() throws Exception {
        ClientPayload p = Registration.registrationPayload(creds, config);
        assertThat(p.getPassive()).isFalse();
        assertThat(p.getPull()).isFalse();
        assertThat(p.hasUsername()).isFalse();
        ClientPayload.DevicePairingRegistrationData d = p.getDevicePairingData();
        assertThat(d.getERegid().toByteArray()).isEqualTo(Registration.bigEndian(creds.registrationId(), 4));
        assertThat(d.getEKeytype().toByteArray()).containsExactly(5);
        assertThat(d.getEIdent().toByteArray()).isEqualTo(creds.identityKey().publicKey());
        assertThat(d.getESkeyId().toByteArray()).containsExactly(0, 0, 1);
        assertThat(d.getESkeyVal().toByteArray())
                .isEqualTo(creds.signedPreKey().keyPair().publicKey());
        assertThat(d.getESkeySig().toByteArray()).isEqualTo(creds.signedPreKey().signature());
        assertThat(d.getBuildHash().toByteArray())
                .isEqualTo(
                        MessageDigest.getInstance("MD5").digest("2.3000.1045649367".getBytes(StandardCharsets.UTF_8)));
        DeviceProps props = DeviceProps.parseFrom(d.getDeviceProps());
        assertThat(props.getOs()).isEqualTo("Linkwell");
        assertThat(props.getPlatformType()).isEqualTo(DeviceProps.PlatformType.CHROME);
        assertThat(p.getUserAgent().getPlatform()).isEqualTo(ClientPayload.UserAgent.Platform.WEB);
        assertThat(p.getUserAgent().getAppVersion().getTertiary()).isEqualTo(1045649367);
        // whatsmeow's DeviceProps.HistorySyncConfig
        assertThat(props.getHistorySyncConfig().getStorageQuotaMb()).isEqualTo(10240);
        assertThat(props.getHistorySyncConfig().getInlineInitialPayloadInE2EeMsg())
                .isTrue();
        assertThat(props.getHistorySyncConfig().getThumbnailSyncDaysLimit()).isEqualTo(60);
    }

    @Test
    void theConfiguredVersionIsReportedAndHashed() throws Exception {
        ClientConfig resolved =
                config.toBuilder().version(WaVersion.parse("2.3000.1050000001")).build();
        ClientPayload p = Registration.registrationPayload(creds, resolved);
        assertThat(p.getUserAgent().getAppVersion().getTertiary()).isEqualTo(1050000001);
        assertThat(p.getDevicePairingData().getBuildHash().toByteArray())
                .isEqualTo(
                        MessageDigest.getInstance("MD5").digest("2.3000.1050000001".getBytes(StandardCharsets.UTF_8)));
        assertThat(WaVersion.of(Registration.loginPayload(
                        creds.withPairing("5511999990000:7@s.whatsapp.net", null, null, null, new byte[] {1}),
                        resolved)))
                .isEqualTo(WaVersion.parse("2.3000.1050000001"));
    }

    @Test
    void loginNamesTheDeviceAndIsPassiveWithPull() {
        Credentials paired = creds.withPairing("5511999990000:7@s.whatsapp.net", null, null, null, new byte[] {1});
        ClientPayload p = Registration.loginPayload(paired, config);
        assertThat(p.getUsername()).isEqualTo(5511999990000L);
        assertThat(p.getDevice()).isEqualTo(7);
        assertThat(p.getPassive()).isTrue();
        assertThat(p.getPull()).isTrue();
        assertThat(p.getLidDbMigrated()).isTrue();
        assertThat(p.getLc()).isEqualTo(1);
        assertThat(p.hasDevicePairingData()).isFalse();
    }

    @Test
    void platformFallbacksFollowBaileys() {
        assertThat(Registration.platformType("Chrome")).isEqualTo(1);
        assertThat(Registration.platformType("Netscape")).isEqualTo(7); // DESKTOP
    }
}
