package dev.linkwell.client.engine;

import com.google.protobuf.ByteString;
import dev.linkwell.client.store.Credentials;
import dev.linkwell.protocol.crypto.KeyPair;
import dev.linkwell.protocol.crypto.XEdDSA;
import dev.linkwell.protocol.jid.Jid;
import dev.linkwell.protocol.proto.ClientPayload;
import dev.linkwell.protocol.proto.DeviceProps;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Locale;

/**
 * New-device key material and the two ClientPayloads sent in the Noise clientFinish.
 *
 * <p>Facts: whatsmeow 33cfac5 store/clientpayload.go (BaseClientPayload, DeviceProps with
 * HistorySyncConfig, getRegistrationPayload, getLoginPayload: passive and pull, lidDbMigrated, lc = 1;
 * registration is neither passive nor pull); Baileys 7.0.0-rc14 Utils/validate-connection.js
 * (getUserAgent, generateRegistrationNode, generateLoginNode) and Utils/auth-utils.js initAuthCreds;
 * the signed prekey's signature covers the 33-byte {@code 05||pub} form (Utils/crypto.js signedKeyPair).
 */
public final class Registration {

    /** Signal key type "DJB" (Baileys KEY_BUNDLE_TYPE). */
    public static final byte KEY_TYPE = 5;

    private Registration() {}

    /** What history the companion supports, as whatsmeow declares it (store/clientpayload.go DeviceProps). */
    private static final DeviceProps.HistorySyncConfig HISTORY_SYNC_CONFIG = DeviceProps.HistorySyncConfig.newBuilder()
            .setStorageQuotaMb(10240)
            .setInlineInitialPayloadInE2EeMsg(true)
            .setSupportCallLogHistory(true)
            .setSupportBotUserAgentChatHistory(true)
            .setSupportCagReactionsAndPolls(true)
            .setSupportBizHostedMsg(true)
            .setSupportRecentSyncChunkMessageCountTuning(true)
            .setSupportHostedGroupMsg(true)
            .setSupportFbidBotChatHistory(true)
            .setSupportMessageAssociation(true)
            .setSupportGroupHistory(true)
            .setThumbnailSyncDaysLimit(60)
            .setSupportManusHistory(true)
            .setSupportHatchHistory(true)
            .build();

    /** Fresh keys for a device that has never paired. */
    public static Credentials newDevice(SecureRandom random) {
        KeyPair noise = KeyPair.generate(random);
        KeyPair identity = KeyPair.generate(random);
        KeyPair spk = KeyPair.generate(random);
        byte[] signature = XEdDSA.sign(identity.privateKey(), spk.signalPublicKey());
        byte[] adv = new byte[32];
        random.nextBytes(adv);
        int registrationId = random.nextInt(1 << 14); // Baileys: 16 random bits & 16383
        return new Credentials(
                noise,
                identity,
                registrationId,
                new Credentials.SignedPreKey(1, spk, signature),
                adv,
                null,
                null,
                null,
                null,
                null,
                1,
                1);
    }

    /** Payload of a device that has not paired yet: carries its identity and signed prekey. */
    public static ClientPayload registrationPayload(Credentials c, ClientConfig config) {
        DeviceProps props = DeviceProps.newBuilder()
                .setOs(config.osName())
                .setVersion(DeviceProps.AppVersion.newBuilder()
                        .setPrimary(10)
                        .setSecondary(15)
                        .setTertiary(7))
                .setPlatformType(DeviceProps.PlatformType.forNumber(platformType(config.browser())))
                .setRequireFullSync(false)
                .setHistorySyncConfig(HISTORY_SYNC_CONFIG)
                .build();
        ClientPayload.DevicePairingRegistrationData data = ClientPayload.DevicePairingRegistrationData.newBuilder()
                .setERegid(ByteString.copyFrom(bigEndian(c.registrationId(), 4)))
                .setEKeytype(ByteString.copyFrom(new byte[] {KEY_TYPE}))
                .setEIdent(ByteString.copyFrom(c.identityKey().publicKey()))
                .setESkeyId(ByteString.copyFrom(bigEndian(c.signedPreKey().id(), 3)))
                .setESkeyVal(ByteString.copyFrom(c.signedPreKey().keyPair().publicKey()))
                .setESkeySig(ByteString.copyFrom(c.signedPreKey().signature()))
                .setBuildHash(ByteString.copyFrom(md5(config.versionString())))
                .setDeviceProps(props.toByteString())
                .build();
        return base(config)
                .setPassive(false)
                .setPull(false)
                .setDevicePairingData(data)
                .build();
    }

    /** Payload of a paired device logging in as {@code user:device}. */
    public static ClientPayload loginPayload(Credentials c, ClientConfig config) {
        Jid me = Jid.parse(c.me());
        return base(config)
                .setUsername(Long.parseLong(me.user()))
                .setDevice(me.device())
                .setPassive(true)
                .setPull(true)
                .setLidDbMigrated(true)
                .setLc(1)
                .build();
    }

    private static ClientPayload.Builder base(ClientConfig config) {
        ClientPayload.UserAgent ua = ClientPayload.UserAgent.newBuilder()
                .setPlatform(ClientPayload.UserAgent.Platform.WEB)
                .setAppVersion(ClientPayload.UserAgent.AppVersion.newBuilder()
                        .setPrimary(config.version().get(0))
                        .setSecondary(config.version().get(1))
                        .setTertiary(config.version().get(2)))
                .setReleaseChannel(ClientPayload.UserAgent.ReleaseChannel.RELEASE)
                .setOsVersion("0.1")
                .setDevice("Desktop")
                .setOsBuildNumber("0.1")
                .setMcc("000")
                .setMnc("000")
                .setLocaleLanguageIso6391("en")
                .setLocaleCountryIso31661Alpha2("US")
                .build();
        return ClientPayload.newBuilder()
                .setConnectType(ClientPayload.ConnectType.WIFI_UNKNOWN)
                .setConnectReason(ClientPayload.ConnectReason.USER_ACTIVATED)
                .setUserAgent(ua)
                .setWebInfo(ClientPayload.WebInfo.newBuilder()
                        .setWebSubPlatform(ClientPayload.WebInfo.WebSubPlatform.WEB_BROWSER));
    }

    /** DeviceProps.PlatformType number for a browser name; DESKTOP (7) when unknown (Baileys getPlatformType). */
    public static int platformType(String browser) {
        int known = knownPlatformType(browser);
        return known < 0 ? 7 : known;
    }

    /** DeviceProps.PlatformType number for a browser name, or -1 when it is not one. */
    static int knownPlatformType(String browser) {
        return switch (browser.toUpperCase(Locale.ROOT)) {
            case "CHROME" -> 1;
            case "FIREFOX" -> 2;
            case "IE" -> 3;
            case "OPERA" -> 4;
            case "SAFARI" -> 5;
            case "EDGE" -> 6;
            case "DESKTOP" -> 7;
            default -> -1;
        };
    }

    public static byte[] bigEndian(int value, int length) {
        byte[] four = ByteBuffer.allocate(4).putInt(value).array();
        byte[] out = new byte[length];
        System.arraycopy(four, 4 - length, out, 0, length);
        return out;
    }

    private static byte[] md5(String s) {
        try {
            return MessageDigest.getInstance("MD5").digest(s.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
