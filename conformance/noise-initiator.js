#!/usr/bin/env node
// Cross-check: Baileys' own Noise initiator (makeNoiseHandler from baileys 7.0.0-rc14) talks to our
// Java NoiseResponder over TCP on loopback.
//
// usage: node noise-initiator.js <host> <port> <framesToExpect> <rootPublicKeyHex>
//
// Baileys 7 checks that WhatsApp's root key (Defaults WA_CERT_DETAILS.PUBLIC_KEY) signed the
// intermediate certificate and that the intermediate signed the leaf; the test's chain is minted
// from its own root, so the script points WA_CERT_DETAILS.PUBLIC_KEY at that root, the same way a
// user aims Baileys at our simulator.
//
// Prints one JSON object per line on stdout:
//   {"event":"handshake", "intro":hex, "noisePublic":hex, "clientPayload":hex}
//   {"event":"sent", "index":i, "data":hex}                      frames Baileys encrypted for Java
//   {"event":"frame", "tag":..., "tagIndex":n, "attrs":{...}, "content":hex|null}   frames Java sent
//   {"event":"proto", "name":..., "bytes":hex}                   Baileys' encodings of sample messages
//   {"event":"done"} | {"event":"error", "message":...}
'use strict';

const net = require('net');

// Baileys 7 is an ES module: these are bound in main()
let makeNoiseHandler, Curve, NOISE_WA_HEADER, WA_CERT_DETAILS, SINGLE_BYTE_TOKENS, proto;

const [host, portText, expectText, rootHex] = process.argv.slice(2);
const port = Number(portText);
const expectFrames = Number(expectText || '3');

const emit = (obj) => process.stdout.write(JSON.stringify(obj) + '\n');
const hex = (b) => Buffer.from(b).toString('hex');
const quiet = { trace() {}, debug() {}, info() {}, warn() {}, error() {}, child() { return quiet; } };

// Messages whose encodings the Java side parses back to check our field numbers.
function emitProtoSamples() {
    const samples = {
        clientPayloadRegistration: proto.ClientPayload.encode({
            passive: false,
            pull: false,
            connectType: proto.ClientPayload.ConnectType.WIFI_UNKNOWN,
            connectReason: proto.ClientPayload.ConnectReason.USER_ACTIVATED,
            userAgent: {
                platform: proto.ClientPayload.UserAgent.Platform.WEB,
                appVersion: { primary: 2, secondary: 3000, tertiary: 1023456789 },
                releaseChannel: proto.ClientPayload.UserAgent.ReleaseChannel.RELEASE,
                osVersion: '0.1', manufacturer: 'ACME', device: 'Desktop',
                mcc: '000', mnc: '000',
                localeLanguageIso6391: 'en', localeCountryIso31661Alpha2: 'US'
            },
            webInfo: { webSubPlatform: proto.ClientPayload.WebInfo.WebSubPlatform.WEB_BROWSER },
            devicePairingData: {
                eRegid: Buffer.from([0, 0, 4, 210]), eKeytype: Buffer.from([5]), eIdent: Buffer.alloc(32, 1),
                eSkeyId: Buffer.from([0, 0, 1]), eSkeyVal: Buffer.alloc(32, 2), eSkeySig: Buffer.alloc(64, 3),
                buildHash: Buffer.alloc(16, 4),
                deviceProps: proto.DeviceProps.encode({
                    os: 'Linkwell', platformType: proto.DeviceProps.PlatformType.CHROME, requireFullSync: true,
                    version: { primary: 10, secondary: 15, tertiary: 7 }
                }).finish()
            }
        }).finish(),
        clientPayloadLogin: proto.ClientPayload.encode({
            username: 15551234567, device: 7, passive: true, pull: true
        }).finish(),
        certDetails: proto.CertChain.NoiseCertificate.Details.encode({
            serial: 1, issuerSerial: 0, key: Buffer.alloc(32, 9), notBefore: 1700000000, notAfter: 1800000000
        }).finish(),
        advHmac: proto.ADVSignedDeviceIdentityHMAC.encode({
            details: Buffer.from([1, 2]), hmac: Buffer.alloc(32, 5), accountType: proto.ADVEncryptionType.HOSTED
        }).finish(),
        advSigned: proto.ADVSignedDeviceIdentity.encode({
            details: Buffer.from([1]), accountSignatureKey: Buffer.alloc(32, 6),
            accountSignature: Buffer.alloc(64, 7), deviceSignature: Buffer.alloc(64, 8)
        }).finish(),
        advIdentity: proto.ADVDeviceIdentity.encode({
            rawId: 123456, timestamp: 1700000001, keyIndex: 3,
            accountType: proto.ADVEncryptionType.E2EE, deviceType: proto.ADVEncryptionType.HOSTED
        }).finish(),
        advKeyIndexList: proto.ADVKeyIndexList.encode({
            rawId: 9, timestamp: 1700000002, currentIndex: 4, validIndexes: [1, 2, 4]
        }).finish(),
        message: proto.Message.encode({
            conversation: 'hello',
            extendedTextMessage: { text: 'extended' },
            messageContextInfo: { messageSecret: Buffer.alloc(32, 1) },
            senderKeyDistributionMessage: { groupId: 'g@g.us', axolotlSenderKeyDistributionMessage: Buffer.from([3]) },
            protocolMessage: { type: proto.Message.ProtocolMessage.Type.REVOKE, key: { id: 'ABC', fromMe: true } },
            deviceSentMessage: { destinationJid: 'x@s.whatsapp.net', message: { conversation: 'inner' } }
        }).finish(),
        senderKeyMessage: proto.SenderKeyMessage.encode({ id: 1, iteration: 2, ciphertext: Buffer.from([3]) }).finish(),
        senderKeyDistributionMessage: proto.SenderKeyDistributionMessage.encode({
            id: 1, iteration: 2, chainKey: Buffer.from([3]), signingKey: Buffer.from([4])
        }).finish(),
        preKeySignalMessage: proto.PreKeySignalMessage.encode({
            registrationId: 5, preKeyId: 1, signedPreKeyId: 6, baseKey: Buffer.from([2]),
            identityKey: Buffer.from([3]), message: Buffer.from([4])
        }).finish()
    };
    for (const [name, bytes] of Object.entries(samples)) {
        emit({ event: 'proto', name, bytes: hex(bytes) });
    }
}

async function main() {
    ({ makeNoiseHandler } = await import('baileys/lib/Utils/noise-handler.js'));
    ({ Curve } = await import('baileys/lib/Utils/crypto.js'));
    ({ NOISE_WA_HEADER, WA_CERT_DETAILS } = await import('baileys/lib/Defaults/index.js'));
    ({ SINGLE_BYTE_TOKENS } = await import('baileys/lib/WABinary/constants.js'));
    ({ proto } = await import('baileys/WAProto/index.js'));
    if (!/^[0-9a-f]{64}$/.test(rootHex || '')) throw new Error('usage: noise-initiator.js host port frames rootPublicKeyHex');
    WA_CERT_DETAILS.PUBLIC_KEY = Buffer.from(rootHex, 'hex');
    emitProtoSamples();
    const ephemeral = Curve.generateKeyPair();
    const noiseKey = Curve.generateKeyPair();
    const noise = makeNoiseHandler({ keyPair: ephemeral, NOISE_HEADER: NOISE_WA_HEADER, logger: quiet });
    const socket = net.connect({ host, port });
    socket.setNoDelay(true);
    let handshakeDone = false;
    let received = 0;

    const fail = (err) => {
        emit({ event: 'error', message: String(err && err.stack || err) });
        socket.destroy();
        process.exitCode = 1;
    };

    socket.on('error', fail);
    socket.on('connect', () => {
        const hello = proto.HandshakeMessage.encode({ clientHello: { ephemeral: ephemeral.public } }).finish();
        socket.write(noise.encodeFrame(hello));
    });
    socket.on('data', (data) => {
        noise.decodeFrame(data, (frame) => {
            if (!handshakeDone) {
                handshakeDone = true;
                onServerHello(frame).catch(fail);
                return;
            }
            received++;
            const content = frame.content;
            emit({
                event: 'frame',
                tag: frame.tag,
                tagIndex: SINGLE_BYTE_TOKENS.indexOf(frame.tag),
                attrs: frame.attrs,
                content: Buffer.isBuffer(content) || content instanceof Uint8Array ? hex(content) : null
            });
            if (received >= expectFrames) {
                emit({ event: 'done' });
                // close both halves at once: the Java side keeps its socket open until we exit
                socket.destroy();
            }
        }).catch(fail);
    });

    async function onServerHello(frame) {
        const handshake = proto.HandshakeMessage.decode(frame);
        const keyEnc = await noise.processHandshake(handshake, noiseKey);
        const payload = proto.ClientPayload.encode({
            username: 15551234567, device: 3, passive: true, pull: true,
            connectType: proto.ClientPayload.ConnectType.WIFI_UNKNOWN,
            connectReason: proto.ClientPayload.ConnectReason.USER_ACTIVATED,
            userAgent: {
                platform: proto.ClientPayload.UserAgent.Platform.WEB,
                appVersion: { primary: 2, secondary: 3000, tertiary: 1023456789 },
                releaseChannel: proto.ClientPayload.UserAgent.ReleaseChannel.RELEASE,
                osVersion: '0.1', manufacturer: '', device: 'Desktop', mcc: '000', mnc: '000',
                localeLanguageIso6391: 'en', localeCountryIso31661Alpha2: 'US'
            },
            webInfo: { webSubPlatform: proto.ClientPayload.WebInfo.WebSubPlatform.WEB_BROWSER }
        }).finish();
        const payloadEnc = noise.encrypt(payload);
        socket.write(noise.encodeFrame(proto.HandshakeMessage.encode({
            clientFinish: { static: keyEnc, payload: payloadEnc }
        }).finish()));
        // finishInit is async; frames sent before it resolves would go out unencrypted, so the script
        // waits for it before sending transport frames.
        await noise.finishInit();
        emit({ event: 'handshake', intro: hex(NOISE_WA_HEADER), noisePublic: hex(noiseKey.public), clientPayload: hex(payload) });
        for (let i = 0; i < 3; i++) {
            const data = Buffer.from(`baileys frame ${i} `.repeat(i * 40 + 1));
            socket.write(noise.encodeFrame(data));
            emit({ event: 'sent', index: i, data: hex(data) });
        }
    }
}

main().catch((err) => {
    emit({ event: 'error', message: String(err && err.stack || err) });
    process.exitCode = 1;
});
