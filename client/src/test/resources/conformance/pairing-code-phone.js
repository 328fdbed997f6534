// The phone's side of the pairing-code crypto, done with Baileys 7.0.0-rc14's own functions
// (Utils/crypto.js derivePairingCodeKey, aesDecryptCTR, aesDecryptGCM, hkdf, Curve.sharedKey), to check
// what our companion (client/pair/PairingCode.java) produces. Reads one JSON object (hex fields) on stdin,
// prints one JSON object on stdout. Baileys 7 is an ES module: loaded with import() in main().
let c;

const hex = (s) => Buffer.from(s, 'hex');

async function unwrap(code, wrapped) {
  const salt = wrapped.subarray(0, 32);
  const iv = wrapped.subarray(32, 48);
  const payload = wrapped.subarray(48, 80);
  const key = await c.derivePairingCodeKey(code, salt);
  return c.aesDecryptCTR(payload, key, iv);
}

async function main() {
  // this script runs from target/, where ESM resolution cannot see conformance/node_modules: use its path
  const { pathToFileURL } = require('url');
  const path = require('path');
  c = await import(pathToFileURL(path.join(process.env.NODE_PATH, 'baileys', 'lib', 'Utils', 'crypto.js')).href);
  let input = '';
  for await (const chunk of process.stdin) input += chunk;
  const q = JSON.parse(input);
  const companionEph = await unwrap(q.code, hex(q.wrappedCompanion));
  const primaryEph = await unwrap(q.code, hex(q.wrappedPrimary));
  // messages-recv.js link_code_companion_reg, seen from the primary: same shared secret from its side
  const shared = c.Curve.sharedKey(hex(q.primaryEphPriv), companionEph);
  const bundle = hex(q.bundle);
  const salt = bundle.subarray(0, 32);
  const iv = bundle.subarray(32, 44);
  const sealed = bundle.subarray(44);
  const key = await c.hkdf(shared, 32, { salt, info: 'link_code_pairing_key_bundle_encryption_key' });
  const plain = c.aesDecryptGCM(sealed, key, iv, Buffer.alloc(0));
  const companionIdentity = plain.subarray(0, 32);
  const random = plain.subarray(64, 96);
  const identityShared = c.Curve.sharedKey(hex(q.primaryIdentityPriv), companionIdentity);
  const adv = await c.hkdf(Buffer.concat([shared, identityShared, random]), 32, { info: 'adv_secret' });
  process.stdout.write(JSON.stringify({
    companionEph: Buffer.from(companionEph).toString('hex'),
    primaryEph: Buffer.from(primaryEph).toString('hex'),
    plain: Buffer.from(plain).toString('hex'),
    advSecret: Buffer.from(adv).toString('hex'),
  }));
}

main().catch((e) => { process.stderr.write(String(e && e.stack || e)); process.exit(1); });
