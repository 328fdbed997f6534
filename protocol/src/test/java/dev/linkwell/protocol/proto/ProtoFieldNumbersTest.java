package dev.linkwell.protocol.proto;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/**
 * Wire bytes of key fields, built by hand from the field numbers in Baileys' WAProto.proto, whatsmeow
 * and libsignal's WhisperTextProtocol.proto (tag byte = field number << 3 | wire type). The Baileys
 * cross-check (BaileysNoiseConformanceTest) additionally parses a ClientPayload encoded by Baileys itself
 * and compares Baileys' encodings of these messages byte for byte.
 */
class ProtoFieldNumbersTest {

    private static String hex(com.google.protobuf.MessageLite m) {
        return HexFormat.of().formatHex(m.toByteArray());
    }

    private static ByteString bytes(int... values) {
        byte[] b = new byte[values.length];
        for (int i = 0; i < values.length; i++) {
            b[i] = (byte) values[i];
        }
        return ByteString.copyFrom(b);
    }

    @Test
    void handshakeMessageFields() {
        // clientHello = 2 (0x12), ephemeral = 1 (0x0a)
        assertThat(hex(HandshakeMessage.newBuilder()
                        .setClientHello(
                                HandshakeMessage.ClientHello.newBuilder().setEphemeral(bytes(0xaa)))
                        .build()))
                .isEqualTo("12030a01aa");
        // serverHello = 3 (0x1a): ephemeral 1, static 2, payload 3
        assertThat(hex(HandshakeMessage.newBuilder()
                        .setServerHello(HandshakeMessage.ServerHello.newBuilder()
                                .setEphemeral(bytes(1))
                                .setStatic(bytes(2))
                                .setPayload(bytes(3)))
                        .build()))
                .isEqualTo("1a090a01011201021a0103");
        // clientFinish = 4 (0x22): static 1, payload 2
        assertThat(hex(HandshakeMessage.newBuilder()
                        .setClientFinish(HandshakeMessage.ClientFinish.newBuilder()
                                .setStatic(bytes(1))
                                .setPayload(bytes(2)))
                        .build()))
                .isEqualTo("22060a0101120102");
    }

    @Test
    void certChainFields() {
        CertChain.NoiseCertificate.Details details = CertChain.NoiseCertificate.Details.newBuilder()
                .setSerial(1)
                .setIssuerSerial(0)
                .setKey(bytes(9))
                .setNotBefore(2)
                .setNotAfter(3)
                .build();
        assertThat(hex(details)).isEqualTo("08011000" + "1a0109" + "2002" + "2803");
        assertThat(hex(CertChain.newBuilder()
                        .setLeaf(CertChain.NoiseCertificate.newBuilder()
                                .setDetails(bytes(1))
                                .setSignature(bytes(2)))
                        .setIntermediate(CertChain.NoiseCertificate.newBuilder().setDetails(bytes(3)))
                        .build()))
                .isEqualTo("0a060a0101120102" + "12030a0103");
    }

    @Test
    void clientPayloadFields() {
        ClientPayload payload = ClientPayload.newBuilder()
                .setUsername(1)
                .setPassive(true)
                .setUserAgent(ClientPayload.UserAgent.newBuilder()
                        .setPlatform(ClientPayload.UserAgent.Platform.WEB)
                        .setReleaseChannel(ClientPayload.UserAgent.ReleaseChannel.RELEASE))
                .setWebInfo(ClientPayload.WebInfo.newBuilder()
                        .setWebSubPlatform(ClientPayload.WebInfo.WebSubPlatform.WEB_BROWSER))
                .setConnectType(ClientPayload.ConnectType.WIFI_UNKNOWN)
                .setConnectReason(ClientPayload.ConnectReason.USER_ACTIVATED)
                .setDevice(2)
                .setPull(true)
                .build();
        assertThat(hex(payload))
                .isEqualTo("0801" + "1801" + "2a04080e5000" + "32022000" + "6001" + "6801" + "9001" + "02" + "880201");
        ClientPayload.DevicePairingRegistrationData reg = ClientPayload.DevicePairingRegistrationData.newBuilder()
                .setERegid(bytes(1))
                .setEKeytype(bytes(5))
                .setEIdent(bytes(2))
                .setESkeyId(bytes(0, 0, 1))
                .setESkeyVal(bytes(3))
                .setESkeySig(bytes(4))
                .setBuildHash(bytes(6))
                .setDeviceProps(bytes(7))
                .build();
        assertThat(hex(reg))
                .isEqualTo("0a0101" + "120105" + "1a0102" + "2203000001" + "2a0103" + "320104" + "3a0106" + "420107");
    }

    @Test
    void advFields() {
        assertThat(hex(ADVSignedDeviceIdentityHMAC.newBuilder()
                        .setDetails(bytes(1))
                        .setHmac(bytes(2))
                        .setAccountType(ADVEncryptionType.HOSTED)
                        .build()))
                .isEqualTo("0a0101" + "120102" + "1801");
        assertThat(hex(ADVSignedDeviceIdentity.newBuilder()
                        .setDetails(bytes(1))
                        .setAccountSignatureKey(bytes(2))
                        .setAccountSignature(bytes(3))
                        .setDeviceSignature(bytes(4))
                        .build()))
                .isEqualTo("0a0101" + "120102" + "1a0103" + "220104");
        assertThat(hex(ADVDeviceIdentity.newBuilder()
                        .setRawId(1)
                        .setTimestamp(2)
                        .setKeyIndex(3)
                        .setAccountType(ADVEncryptionType.HOSTED)
                        .setDeviceType(ADVEncryptionType.HOSTED)
                        .build()))
                .isEqualTo("0801" + "1002" + "1803" + "2001" + "2801");
        assertThat(hex(ADVKeyIndexList.newBuilder()
                        .setRawId(1)
                        .addValidIndexes(2)
                        .addValidIndexes(3)
                        .build()))
                .isEqualTo("0801" + "22020203");
    }

    @Test
    void messageAndSignalFields() {
        assertThat(hex(Message.newBuilder().setConversation("hi").build())).isEqualTo("0a026869");
        assertThat(hex(Message.newBuilder()
                        .setExtendedTextMessage(
                                Message.ExtendedTextMessage.newBuilder().setText("a"))
                        .build()))
                .isEqualTo("32030a0161");
        assertThat(hex(Message.newBuilder()
                        .setMessageContextInfo(MessageContextInfo.newBuilder().setMessageSecret(bytes(1)))
                        .build()))
                .isEqualTo("9a02031a0101");
        assertThat(hex(Message.newBuilder()
                        .setDeviceSentMessage(
                                Message.DeviceSentMessage.newBuilder().setDestinationJid("x"))
                        .build()))
                .isEqualTo("fa01030a0178");
        assertThat(hex(Message.newBuilder()
                        .setProtocolMessage(
                                Message.ProtocolMessage.newBuilder().setType(Message.ProtocolMessage.Type.REVOKE))
                        .build()))
                .isEqualTo("62021000");
        assertThat(hex(SignalMessage.newBuilder()
                        .setRatchetKey(bytes(1))
                        .setCounter(2)
                        .setPreviousCounter(3)
                        .setCiphertext(bytes(4))
                        .build()))
                .isEqualTo("0a0101" + "1002" + "1803" + "220104");
        assertThat(hex(PreKeySignalMessage.newBuilder()
                        .setPreKeyId(1)
                        .setBaseKey(bytes(2))
                        .setIdentityKey(bytes(3))
                        .setMessage(bytes(4))
                        .setRegistrationId(5)
                        .setSignedPreKeyId(6)
                        .build()))
                .isEqualTo("0801" + "120102" + "1a0103" + "220104" + "2805" + "3006");
        assertThat(hex(SenderKeyMessage.newBuilder()
                        .setId(1)
                        .setIteration(2)
                        .setCiphertext(bytes(3))
                        .build()))
                .isEqualTo("0801" + "1002" + "1a0103");
        assertThat(hex(SenderKeyDistributionMessage.newBuilder()
                        .setId(1)
                        .setIteration(2)
                        .setChainKey(bytes(3))
                        .setSigningKey(bytes(4))
                        .build()))
                .isEqualTo("0801" + "1002" + "1a0103" + "220104");
        assertThat(hex(DeviceProps.newBuilder()
                        .setOs("L")
                        .setPlatformType(DeviceProps.PlatformType.CHROME)
                        .setRequireFullSync(true)
                        .build()))
                .isEqualTo("0a014c" + "1801" + "2001");
    }
}
