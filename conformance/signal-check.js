#!/usr/bin/env node
// Cross-check of our Signal layer (dev.linkwell.protocol.signal) against the references WhatsApp Web
// clients run: libsignal-node 6.0.0 for 1:1 sessions (SessionBuilder, SessionCipher) and Baileys' group
// cipher for sender keys (lib/Signal/Group of baileys 7.0.0-rc*, or WASignalGroup of
// @whiskeysockets/baileys 6.17.16, whichever is installed; Baileys pads with writeRandomPadMax16 from
// its Utils/generics). Parties live in this process, with in-memory stores, for as long as it runs.
//
// Protocol: one JSON object per stdin line, one JSON answer per stdout line, in order. Bytes are hex.
// Addresses are libsignal's "name.device". Every answer has "ok": true, or "ok": false and "error".
//   {op: "hello"} -> {libsignal, group, padding}
//   {op: "newParty", party, preKeys} -> {identity, registrationId, signedPreKey: {id, pub, sig}, preKeys: [{id, pub}]}
//   {op: "preKeyIds", party} -> {ids}
//   {op: "processBundle", party, address, bundle: {registrationId, identity, signedPreKey: {id, pub, sig}, preKey?: {id, pub}}}
//   {op: "encrypt", party, address, plaintexts: [hex], pad} -> {messages: [{type: "pkmsg"|"msg", body}]}
//   {op: "decrypt", party, address, messages: [{type, body}], unpad} -> {results: [{plaintext} | {error, message}]}
//   {op: "groupCreate", party, group, sender} -> {skdm}
//   {op: "groupProcess", party, group, sender, skdm}
//   {op: "groupEncrypt", party, group, sender, plaintexts: [hex], pad} -> {messages: [hex]}
//   {op: "groupDecrypt", party, group, sender, messages: [hex], unpad} -> {results: [{plaintext} | {error, message}]}
// libsignal and Baileys log with console.*; all of that goes to stderr so stdout carries answers only.
'use strict';

const readline = require('readline');
const util = require('util');

for (const level of ['log', 'info', 'warn', 'error', 'debug']) {
    console[level] = (...args) => process.stderr.write(util.format(...args) + '\n');
}

const libsignal = require('libsignal');

const fromHex = (h) => Buffer.from(h, 'hex');
const toHex = (b) => Buffer.from(b).toString('hex');

/** Baileys' group cipher and padding: the 7.x ESM build if installed, else 6.17.16. */
async function loadBaileys() {
    try {
        const group = await import('baileys/lib/Signal/Group/index.js');
        const generics = await import('baileys/lib/Utils/generics.js');
        const version = require('baileys/package.json').version;
        return { name: 'baileys ' + version, group, generics };
    } catch (e7) {
        try {
            const group = require('@whiskeysockets/baileys/WASignalGroup');
            const generics = require('@whiskeysockets/baileys/lib/Utils/generics');
            const version = require('@whiskeysockets/baileys/package.json').version;
            return { name: '@whiskeysockets/baileys ' + version, group, generics };
        } catch (e6) {
            process.stderr.write('no Baileys group cipher: ' + e7.message + ' / ' + e6.message + '\n');
            return null;
        }
    }
}

const parties = new Map();

function party(name) {
    const p = parties.get(name);
    if (!p) {
        throw new Error('unknown party ' + name);
    }
    return p;
}

/** libsignal-node's storage interface over one party, storing sessions serialized as Baileys does. */
function storage(p) {
    return {
        getOurIdentity: async () => p.identity,
        getOurRegistrationId: async () => p.registrationId,
        isTrustedIdentity: async () => true,
        loadSession: async (id) => (p.sessions.has(id)
            ? libsignal.SessionRecord.deserialize(JSON.parse(p.sessions.get(id))) : undefined),
        storeSession: async (id, record) => { p.sessions.set(id, JSON.stringify(record.serialize())); },
        loadPreKey: async (id) => p.preKeys.get(Number(id)),
        removePreKey: async (id) => { p.preKeys.delete(Number(id)); },
        loadSignedPreKey: async (id) => (p.signedPreKey.keyId === Number(id) ? p.signedPreKey.keyPair : undefined),
        loadSenderKey: async (name) => p.senderKeys.get(name.toString()),
        storeSenderKey: async (name, record) => { p.senderKeys.set(name.toString(), record); }
    };
}

function senderKeyName(baileys, group, sender) {
    return new baileys.group.SenderKeyName(group, libsignal.ProtocolAddress.from(sender));
}

/** Our group records start empty, as Baileys' repository creates them before the builder runs. */
function senderKeyRecord(baileys, p, name) {
    const key = name.toString();
    if (!p.senderKeys.has(key)) {
        p.senderKeys.set(key, new baileys.group.SenderKeyRecord());
    }
}

function errorOf(e) {
    return { error: (e && (e.name || e.constructor.name)) || 'Error', message: String(e && e.message) };
}

async function handle(req, baileys) {
    switch (req.op) {
    case 'hello':
        return {
            libsignal: require('libsignal/package.json').version,
            group: baileys ? baileys.name : null,
            padding: baileys ? baileys.name : null
        };
    case 'newParty': {
        const identity = libsignal.keyhelper.generateIdentityKeyPair();
        const registrationId = libsignal.keyhelper.generateRegistrationId();
        const signed = libsignal.keyhelper.generateSignedPreKey(identity, 1 + Math.floor(Math.random() * 1000));
        const preKeys = new Map();
        for (let id = 1; id <= (req.preKeys || 0); id++) {
            preKeys.set(id, libsignal.keyhelper.generatePreKey(id).keyPair);
        }
        parties.set(req.party, {
            identity, registrationId, signedPreKey: signed, preKeys, sessions: new Map(), senderKeys: new Map()
        });
        return {
            identity: toHex(identity.pubKey),
            registrationId,
            signedPreKey: { id: signed.keyId, pub: toHex(signed.keyPair.pubKey), sig: toHex(signed.signature) },
            preKeys: [...preKeys].map(([id, kp]) => ({ id, pub: toHex(kp.pubKey) }))
        };
    }
    case 'preKeyIds':
        return { ids: [...party(req.party).preKeys.keys()] };
    case 'processBundle': {
        const b = req.bundle;
        const device = {
            registrationId: b.registrationId,
            identityKey: fromHex(b.identity),
            signedPreKey: { keyId: b.signedPreKey.id, publicKey: fromHex(b.signedPreKey.pub), signature: fromHex(b.signedPreKey.sig) }
        };
        if (b.preKey) {
            device.preKey = { keyId: b.preKey.id, publicKey: fromHex(b.preKey.pub) };
        }
        const builder = new libsignal.SessionBuilder(storage(party(req.party)), libsignal.ProtocolAddress.from(req.address));
        await builder.initOutgoing(device);
        return {};
    }
    case 'encrypt': {
        const cipher = new libsignal.SessionCipher(storage(party(req.party)), libsignal.ProtocolAddress.from(req.address));
        const messages = [];
        for (const hex of req.plaintexts) {
            const data = req.pad ? Buffer.from(baileys.generics.writeRandomPadMax16(fromHex(hex))) : fromHex(hex);
            const { type, body } = await cipher.encrypt(data);
            messages.push({ type: type === 3 ? 'pkmsg' : 'msg', body: toHex(Buffer.from(body, 'binary')) });
        }
        return { messages };
    }
    case 'decrypt': {
        const cipher = new libsignal.SessionCipher(storage(party(req.party)), libsignal.ProtocolAddress.from(req.address));
        const results = [];
        for (const m of req.messages) {
            try {
                const body = fromHex(m.body);
                const padded = m.type === 'pkmsg'
                    ? await cipher.decryptPreKeyWhisperMessage(body)
                    : await cipher.decryptWhisperMessage(body);
                const plaintext = req.unpad ? baileys.generics.unpadRandomMax16(padded) : padded;
                results.push({ plaintext: toHex(plaintext) });
            } catch (e) {
                results.push(errorOf(e));
            }
        }
        return { results };
    }
    case 'groupCreate': {
        const p = party(req.party);
        const name = senderKeyName(baileys, req.group, req.sender);
        senderKeyRecord(baileys, p, name);
        const skdm = await new baileys.group.GroupSessionBuilder(storage(p)).create(name);
        return { skdm: toHex(skdm.serialize()) };
    }
    case 'groupProcess': {
        const p = party(req.party);
        const name = senderKeyName(baileys, req.group, req.sender);
        senderKeyRecord(baileys, p, name);
        const message = new baileys.group.SenderKeyDistributionMessage(null, null, null, null, fromHex(req.skdm));
        await new baileys.group.GroupSessionBuilder(storage(p)).process(name, message);
        return {};
    }
    case 'groupEncrypt': {
        const p = party(req.party);
        const cipher = new baileys.group.GroupCipher(storage(p), senderKeyName(baileys, req.group, req.sender));
        const messages = [];
        for (const hex of req.plaintexts) {
            const data = req.pad ? Buffer.from(baileys.generics.writeRandomPadMax16(fromHex(hex))) : fromHex(hex);
            messages.push(toHex(await cipher.encrypt(data)));
        }
        return { messages };
    }
    case 'groupDecrypt': {
        const p = party(req.party);
        const cipher = new baileys.group.GroupCipher(storage(p), senderKeyName(baileys, req.group, req.sender));
        const results = [];
        for (const hex of req.messages) {
            try {
                const padded = await cipher.decrypt(fromHex(hex));
                const plaintext = req.unpad ? baileys.generics.unpadRandomMax16(padded) : padded;
                results.push({ plaintext: toHex(plaintext) });
            } catch (e) {
                results.push(errorOf(e));
            }
        }
        return { results };
    }
    default:
        throw new Error('unknown op ' + req.op);
    }
}

async function main() {
    const baileys = await loadBaileys();
    const lines = readline.createInterface({ input: process.stdin, crlfDelay: Infinity });
    for await (const line of lines) {
        if (!line.trim()) {
            continue;
        }
        let answer;
        try {
            answer = Object.assign({ ok: true }, await handle(JSON.parse(line), baileys));
        } catch (e) {
            answer = Object.assign({ ok: false }, errorOf(e));
        }
        process.stdout.write(JSON.stringify(answer) + '\n');
    }
}

main().catch((e) => {
    process.stderr.write(String(e && e.stack) + '\n');
    process.exit(1);
});
