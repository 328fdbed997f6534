#!/usr/bin/env node
// Cross-check: libsignal-node 6.0.0's curve (require('libsignal/src/curve')) against our Java XEdDSA/X25519.
//
// stdin: one JSON object
//   { "javaSigned": [{ "pub": hex32, "msg": hex, "sig": hex64 }],
//     "javaPrivates": [hex32],
//     "agreements": [{ "javaPub": hex32 }],
//     "nodeSignCount": n }
// stdout: one JSON object
//   { "javaSignaturesValid": [bool], "javaTamperedValid": [bool],
//     "publicFromPrivate": [hex32], "agreements": [{ "nodePriv": hex32, "nodePub": hex32, "shared": hex32 }],
//     "nodeSigned": [{ "pub": hex32, "msg": hex, "sig": hex64 }] }
//
// libsignal-node's verifySignature returns curve25519-js verify()'s boolean (false for a bad signature)
// and throws only for malformed keys/lengths, so both outcomes are reported as they are.
'use strict';

const crypto = require('crypto');
const curve = require('libsignal/src/curve');

const fromHex = (h) => Buffer.from(h, 'hex');
const toHex = (b) => Buffer.from(b).toString('hex');
const withType = (pub32) => Buffer.concat([Buffer.from([5]), pub32]);
const strip = (pub33) => Buffer.from(pub33).subarray(1);

function verify(pub, msg, sig) {
    try {
        return curve.verifySignature(withType(pub), msg, sig) === true;
    } catch (e) {
        return false;
    }
}

let input = '';
process.stdin.setEncoding('utf8');
process.stdin.on('data', (c) => { input += c; });
process.stdin.on('end', () => {
    const req = JSON.parse(input);
    const out = { javaSignaturesValid: [], javaTamperedValid: [], publicFromPrivate: [], agreements: [], nodeSigned: [] };
    for (const c of req.javaSigned) {
        const pub = fromHex(c.pub);
        const msg = fromHex(c.msg);
        const sig = fromHex(c.sig);
        out.javaSignaturesValid.push(verify(pub, msg, sig));
        const tampered = Buffer.from(sig);
        tampered[10] ^= 0x01;
        out.javaTamperedValid.push(verify(pub, msg, tampered));
    }
    for (const p of req.javaPrivates) {
        out.publicFromPrivate.push(toHex(strip(curve.getPublicFromPrivateKey(fromHex(p)))));
    }
    for (const a of req.agreements) {
        const pair = curve.generateKeyPair();
        const shared = curve.calculateAgreement(withType(fromHex(a.javaPub)), pair.privKey);
        out.agreements.push({ nodePriv: toHex(pair.privKey), nodePub: toHex(strip(pair.pubKey)), shared: toHex(shared) });
    }
    for (let i = 0; i < req.nodeSignCount; i++) {
        const pair = curve.generateKeyPair();
        const msg = crypto.randomBytes(i % 5 === 0 ? 0 : 1 + (i * 37) % 300);
        const sig = curve.calculateSignature(pair.privKey, msg);
        out.nodeSigned.push({ pub: toHex(strip(pair.pubKey)), priv: toHex(pair.privKey), msg: toHex(msg), sig: toHex(sig) });
    }
    process.stdout.write(JSON.stringify(out) + '\n');
});
