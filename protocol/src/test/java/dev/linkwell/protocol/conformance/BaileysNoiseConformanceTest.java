package dev.linkwell.protocol.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.linkwell.protocol.crypto.KeyPair;
import dev.linkwell.protocol.frame.FrameCodec;
import dev.linkwell.protocol.noise.CertificateMinter;
import dev.linkwell.protocol.noise.NoiseResponder;
import dev.linkwell.protocol.noise.NoiseTransport;
import dev.linkwell.protocol.proto.ADVDeviceIdentity;
import dev.linkwell.protocol.proto.ADVEncryptionType;
import dev.linkwell.protocol.proto.ADVKeyIndexList;
import dev.linkwell.protocol.proto.ADVSignedDeviceIdentity;
import dev.linkwell.protocol.proto.ADVSignedDeviceIdentityHMAC;
import dev.linkwell.protocol.proto.CertChain;
import dev.linkwell.protocol.proto.ClientPayload;
import dev.linkwell.protocol.proto.DeviceProps;
import dev.linkwell.protocol.proto.Message;
import dev.linkwell.protocol.proto.PreKeySignalMessage;
import dev.linkwell.protocol.proto.SenderKeyDistributionMessage;
import dev.linkwell.protocol.proto.SenderKeyMessage;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Baileys 7.0.0-rc14's own Noise initiator (conformance/noise-initiator.js, makeNoiseHandler) against
 * our {@link NoiseResponder} over TCP on loopback: full handshake with a chain minted by our
 * {@link CertificateMinter} (Baileys 7 verifies the intermediate against the root it is given and the
 * leaf against the intermediate, so this also checks our minted chain), then transport frames both ways. Baileys decodes inbound frames as binary
 * nodes, so the frames we send are hand-built nodes: flag byte 0, LIST_8, size, a single-byte token tag,
 * optional attribute, BINARY_8/BINARY_20 content. The script also prints Baileys' protobuf encodings of
 * sample messages, which we parse with our schema to check field numbers.
 */
class BaileysNoiseConformanceTest {

    private static final HexFormat HEX = HexFormat.of();
    private static final int TAG_MESSAGE = 19; // index of "message" in the dictionary v3 SINGLE_BYTE_TOKENS
    private static final int TOKEN_ID = 8; // "id"
    private static final int LIST_8 = 248;
    private static final int BINARY_8 = 252;
    private static final int BINARY_20 = 253;

    @Test
    void baileysInitiatorCompletesHandshakeAndExchangesFrames() throws Exception {
        Path dir = NodeConformance.conformanceDir("baileys", "libsignal");
        String node = NodeConformance.node();

        KeyPair root = KeyPair.generate();
        KeyPair serverStatic = KeyPair.generate();
        byte[] chain = new CertificateMinter(root).mint(serverStatic.publicKey());
        NoiseResponder responder = new NoiseResponder(serverStatic, chain);

        Random random = new Random(3);
        byte[] content1 = new byte[40];
        random.nextBytes(content1);
        byte[] content2 = new byte[1000];
        random.nextBytes(content2);
        List<byte[]> nodes = List.of(
                bytes(0, LIST_8, 1, TAG_MESSAGE),
                concat(bytes(0, LIST_8, 2, TAG_MESSAGE, BINARY_8, content1.length), content1),
                concat(
                        bytes(
                                0,
                                LIST_8,
                                4,
                                TAG_MESSAGE,
                                TOKEN_ID,
                                BINARY_8,
                                3,
                                'a',
                                'b',
                                'c',
                                BINARY_20,
                                content2.length >>> 16,
                                (content2.length >>> 8) & 0xff,
                                content2.length & 0xff),
                        content2));

        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            server.setSoTimeout(30_000);
            Process process = new ProcessBuilder(
                            node,
                            "noise-initiator.js",
                            "127.0.0.1",
                            String.valueOf(server.getLocalPort()),
                            String.valueOf(nodes.size()),
                            HEX.formatHex(root.publicKey()))
                    .directory(dir.toFile())
                    .start();
            List<String> out = NodeConformance.drain(process.getInputStream(), "noise-initiator-stdout");
            List<String> err = NodeConformance.drain(process.getErrorStream(), "noise-initiator-stderr");
            try (Socket socket = server.accept()) {
                socket.setSoTimeout(30_000);
                socket.setTcpNoDelay(true);
                InputStream in = socket.getInputStream();
                OutputStream os = socket.getOutputStream();
                FrameCodec.Decoder decoder = FrameCodec.serverDecoder();
                FrameCodec.Encoder encoder = FrameCodec.serverEncoder();
                Deque<byte[]> frames = new ArrayDeque<>();

                byte[] hello = next(in, decoder, frames);
                // Baileys 7 announces dictionary version 3, as we do
                assertThat(decoder.intro()).containsExactly('W', 'A', 6, 3);
                assertThat(decoder.intro()).containsExactly(FrameCodec.WA_INTRO);
                responder.processClientHello(decoder.intro(), hello);
                os.write(encoder.encode(responder.serverHello()));
                os.flush();

                NoiseResponder.ClientFinish finish = responder.processClientFinish(next(in, decoder, frames));
                ClientPayload payload = ClientPayload.parseFrom(finish.clientPayload());
                assertThat(payload.getUsername()).isEqualTo(15551234567L);
                assertThat(payload.getDevice()).isEqualTo(3);
                assertThat(payload.getPassive()).isTrue();
                assertThat(payload.getPull()).isTrue();
                assertThat(payload.getUserAgent().getPlatform()).isEqualTo(ClientPayload.UserAgent.Platform.WEB);
                assertThat(payload.getUserAgent().getAppVersion().getTertiary()).isEqualTo(1023456789);
                assertThat(payload.getUserAgent().getLocaleCountryIso31661Alpha2())
                        .isEqualTo("US");
                assertThat(payload.getWebInfo().getWebSubPlatform())
                        .isEqualTo(ClientPayload.WebInfo.WebSubPlatform.WEB_BROWSER);
                assertThat(payload.getConnectReason()).isEqualTo(ClientPayload.ConnectReason.USER_ACTIVATED);

                NoiseTransport transport = responder.transport();
                List<byte[]> fromBaileys = new ArrayList<>();
                for (int i = 0; i < 3; i++) {
                    fromBaileys.add(transport.decrypt(next(in, decoder, frames)));
                }
                for (byte[] n : nodes) {
                    os.write(encoder.encode(transport.encrypt(n)));
                }
                os.flush();

                assertThat(process.waitFor(30, TimeUnit.SECONDS))
                        .as("noise-initiator.js finished; stdout %s stderr %s", out, err)
                        .isTrue();
                List<JsonNode> events = parse(out);
                assertThat(events)
                        .as("stdout %s stderr %s", out, err)
                        .noneMatch(e -> e.get("event").asText().equals("error"));
                assertThat(process.exitValue()).as("stderr %s", err).isZero();

                JsonNode handshake = single(events, "handshake");
                assertThat(handshake.get("noisePublic").asText()).isEqualTo(HEX.formatHex(finish.clientStaticKey()));
                assertThat(handshake.get("clientPayload").asText()).isEqualTo(HEX.formatHex(finish.clientPayload()));

                List<JsonNode> sent = of(events, "sent");
                assertThat(sent).hasSize(3);
                for (int i = 0; i < 3; i++) {
                    assertThat(HEX.formatHex(fromBaileys.get(i)))
                            .isEqualTo(sent.get(i).get("data").asText());
                }

                List<JsonNode> received = of(events, "frame");
                assertThat(received).hasSize(3);
                for (JsonNode f : received) {
                    assertThat(f.get("tag").asText()).isEqualTo("message");
                    assertThat(f.get("tagIndex").asInt()).isEqualTo(TAG_MESSAGE);
                }
                assertThat(received.get(0).get("content").isNull()).isTrue();
                assertThat(received.get(1).get("content").asText()).isEqualTo(HEX.formatHex(content1));
                assertThat(received.get(2).get("attrs").get("id").asText()).isEqualTo("abc");
                assertThat(received.get(2).get("content").asText()).isEqualTo(HEX.formatHex(content2));
                single(events, "done");
                assertThat(transport.readCounter()).isEqualTo(3);
                assertThat(transport.writeCounter()).isEqualTo(3);

                checkProtoSamples(events);
            } finally {
                process.destroyForcibly();
                process.waitFor(5, TimeUnit.SECONDS);
            }
        }
    }

    /** Baileys' protobufjs encodings parsed with our schema: every field lands where WAProto put it. */
    private static void checkProtoSamples(List<JsonNode> events) throws Exception {
        Map<String, byte[]> samples = new java.util.HashMap<>();
        for (JsonNode e : of(events, "proto")) {
            samples.put(e.get("name").asText(), HEX.parseHex(e.get("bytes").asText()));
        }
        ClientPayload reg = ClientPayload.parseFrom(samples.get("clientPayloadRegistration"));
        assertThat(reg.getUnknownFields().asMap()).isEmpty();
        assertThat(reg.hasPassive()).isTrue();
        assertThat(reg.getPull()).isFalse();
        assertThat(reg.getConnectType()).isEqualTo(ClientPayload.ConnectType.WIFI_UNKNOWN);
        ClientPayload.UserAgent ua = reg.getUserAgent();
        assertThat(ua.getAppVersion().getSecondary()).isEqualTo(3000);
        assertThat(ua.getReleaseChannel()).isEqualTo(ClientPayload.UserAgent.ReleaseChannel.RELEASE);
        assertThat(ua.getOsVersion()).isEqualTo("0.1");
        assertThat(ua.getManufacturer()).isEqualTo("ACME");
        assertThat(ua.getDevice()).isEqualTo("Desktop");
        assertThat(ua.getMcc()).isEqualTo("000");
        assertThat(ua.getLocaleLanguageIso6391()).isEqualTo("en");
        ClientPayload.DevicePairingRegistrationData pd = reg.getDevicePairingData();
        assertThat(pd.getERegid().toByteArray()).containsExactly(0, 0, 4, 210);
        assertThat(pd.getEKeytype().toByteArray()).containsExactly(5);
        assertThat(pd.getEIdent().byteAt(0)).isEqualTo((byte) 1);
        assertThat(pd.getESkeyId().toByteArray()).containsExactly(0, 0, 1);
        assertThat(pd.getESkeyVal().byteAt(0)).isEqualTo((byte) 2);
        assertThat(pd.getESkeySig().size()).isEqualTo(64);
        assertThat(pd.getBuildHash().size()).isEqualTo(16);
        DeviceProps props = DeviceProps.parseFrom(pd.getDeviceProps());
        assertThat(props.getOs()).isEqualTo("Linkwell");
        assertThat(props.getPlatformType()).isEqualTo(DeviceProps.PlatformType.CHROME);
        assertThat(props.getRequireFullSync()).isTrue();
        assertThat(props.getVersion().getSecondary()).isEqualTo(15);

        ClientPayload login = ClientPayload.parseFrom(samples.get("clientPayloadLogin"));
        assertThat(login.getUsername()).isEqualTo(15551234567L);
        assertThat(login.getDevice()).isEqualTo(7);

        CertChain.NoiseCertificate.Details details =
                CertChain.NoiseCertificate.Details.parseFrom(samples.get("certDetails"));
        assertThat(details.getSerial()).isEqualTo(1);
        assertThat(details.hasIssuerSerial()).isTrue();
        assertThat(details.getKey().byteAt(0)).isEqualTo((byte) 9);
        assertThat(details.getNotBefore()).isEqualTo(1700000000L);
        assertThat(details.getNotAfter()).isEqualTo(1800000000L);

        ADVSignedDeviceIdentityHMAC hmac = ADVSignedDeviceIdentityHMAC.parseFrom(samples.get("advHmac"));
        assertThat(hmac.getDetails().toByteArray()).containsExactly(1, 2);
        assertThat(hmac.getHmac().size()).isEqualTo(32);
        assertThat(hmac.getAccountType()).isEqualTo(ADVEncryptionType.HOSTED);
        ADVSignedDeviceIdentity signed = ADVSignedDeviceIdentity.parseFrom(samples.get("advSigned"));
        assertThat(signed.getAccountSignatureKey().byteAt(0)).isEqualTo((byte) 6);
        assertThat(signed.getAccountSignature().byteAt(0)).isEqualTo((byte) 7);
        assertThat(signed.getDeviceSignature().byteAt(0)).isEqualTo((byte) 8);
        ADVDeviceIdentity identity = ADVDeviceIdentity.parseFrom(samples.get("advIdentity"));
        assertThat(identity.getRawId()).isEqualTo(123456);
        assertThat(identity.getTimestamp()).isEqualTo(1700000001L);
        assertThat(identity.getKeyIndex()).isEqualTo(3);
        assertThat(identity.getDeviceType()).isEqualTo(ADVEncryptionType.HOSTED);
        ADVKeyIndexList keyIndexList = ADVKeyIndexList.parseFrom(samples.get("advKeyIndexList"));
        assertThat(keyIndexList.getCurrentIndex()).isEqualTo(4);
        assertThat(keyIndexList.getValidIndexesList()).containsExactly(1, 2, 4);

        Message message = Message.parseFrom(samples.get("message"));
        assertThat(message.getConversation()).isEqualTo("hello");
        assertThat(message.getExtendedTextMessage().getText()).isEqualTo("extended");
        assertThat(message.getMessageContextInfo().getMessageSecret().size()).isEqualTo(32);
        assertThat(message.getSenderKeyDistributionMessage().getGroupId()).isEqualTo("g@g.us");
        assertThat(message.getProtocolMessage().getKey().getId()).isEqualTo("ABC");
        assertThat(message.getProtocolMessage().getType()).isEqualTo(Message.ProtocolMessage.Type.REVOKE);
        assertThat(message.getDeviceSentMessage().getDestinationJid()).isEqualTo("x@s.whatsapp.net");
        assertThat(message.getDeviceSentMessage().getMessage().getConversation())
                .isEqualTo("inner");

        SenderKeyMessage skm = SenderKeyMessage.parseFrom(samples.get("senderKeyMessage"));
        assertThat(skm.getIteration()).isEqualTo(2);
        assertThat(skm.getCiphertext().toByteArray()).containsExactly(3);
        SenderKeyDistributionMessage skdm =
                SenderKeyDistributionMessage.parseFrom(samples.get("senderKeyDistributionMessage"));
        assertThat(skdm.getSigningKey().toByteArray()).containsExactly(4);
        PreKeySignalMessage pkm = PreKeySignalMessage.parseFrom(samples.get("preKeySignalMessage"));
        assertThat(pkm.getRegistrationId()).isEqualTo(5);
        assertThat(pkm.getSignedPreKeyId()).isEqualTo(6);
        assertThat(pkm.getMessage().toByteArray()).containsExactly(4);
        // and the reverse direction: our encodings equal Baileys' byte for byte for the simple messages
        assertThat(HEX.formatHex(SenderKeyMessage.newBuilder()
                        .setId(1)
                        .setIteration(2)
                        .setCiphertext(com.google.protobuf.ByteString.copyFrom(new byte[] {3}))
                        .build()
                        .toByteArray()))
                .isEqualTo(HEX.formatHex(samples.get("senderKeyMessage")));
        assertThat(HEX.formatHex(details.toByteArray())).isEqualTo(HEX.formatHex(samples.get("certDetails")));
    }

    private static byte[] next(InputStream in, FrameCodec.Decoder decoder, Deque<byte[]> frames) throws Exception {
        byte[] buf = new byte[8192];
        while (frames.isEmpty()) {
            int n = in.read(buf);
            if (n < 0) {
                throw new AssertionError("Baileys closed the connection early");
            }
            frames.addAll(decoder.feed(buf, 0, n));
        }
        return frames.removeFirst();
    }

    private static List<JsonNode> parse(List<String> lines) throws Exception {
        ObjectMapper json = new ObjectMapper();
        List<JsonNode> events = new ArrayList<>();
        synchronized (lines) {
            for (String line : lines) {
                if (!line.isBlank()) {
                    events.add(json.readTree(line.getBytes(StandardCharsets.UTF_8)));
                }
            }
        }
        return events;
    }

    private static List<JsonNode> of(List<JsonNode> events, String type) {
        return events.stream().filter(e -> e.get("event").asText().equals(type)).toList();
    }

    private static JsonNode single(List<JsonNode> events, String type) {
        List<JsonNode> matching = of(events, type);
        assertThat(matching).as("exactly one %s event in %s", type, events).hasSize(1);
        return matching.get(0);
    }

    private static byte[] bytes(int... values) {
        byte[] b = new byte[values.length];
        for (int i = 0; i < values.length; i++) {
            b[i] = (byte) values[i];
        }
        return b;
    }

    private static byte[] concat(byte[] a, byte[] b) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(a);
        out.writeBytes(b);
        return out.toByteArray();
    }
}
