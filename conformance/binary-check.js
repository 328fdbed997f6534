'use strict';
// Differential cross-check of our binary node codec against Baileys' own encodeBinaryNode /
// decodeBinaryNode. Driven by dev.linkwell.protocol.binary.BaileysCrossCheckTest over stdin/stdout,
// one JSON object per line each way.
//
// Usage: node binary-check.js 7   Baileys 7.0.0-rc14 (npm "baileys"): dictionary v3, today's wire
//        node binary-check.js 6   Baileys 6.17.16 (npm "@whiskeysockets/baileys"): the stale dictionary v2
//
// Node JSON: {"tag": s, "attrs": {k: v, ...}, "content": absent | [node, ...] | "string" | {"$bytes": base64}}
//
// Requests:
//   {"op":"tokens"}                      -> {"single":[...], "double":[[...],...], "version": "..."}
//   {"op":"generate","seed":n,"count":n} -> count lines {"i", "input", "hex", "decoded", "reencoded"}, then {"done":true}
//       Baileys generates a random node from realistic material, encodes it (hex = encodeBinaryNode,
//       with its leading flag byte), decodes its own bytes (decoded) and re-encodes what it decoded.
//   {"op":"check","i":n,"hex":h,"json":node,"src":node}
//                                        -> {"i", "decodeOk", "detail", "reencoded"}
//       decodes hex (our bytes, with flag byte) with decodeBinaryNode and compares to json (our
//       decoder's view of the same bytes); reencoded = encodeBinaryNode(src) (src = the node we encoded).
//   {"op":"encode","json":node}          -> {"hex"} or {"failed": message}   (encodeBinaryNode)
//   {"op":"decode","hex":h}              -> {"json"} or {"failed": message}  (decodeBinaryNode)
const readline = require('readline');
const fs = require('fs');
const path = require('path');

const line = process.argv[2] || '7';
if (line !== '6' && line !== '7') throw new Error('usage: binary-check.js 6|7');
const pkg = line === '7' ? 'baileys' : '@whiskeysockets/baileys';
const version = JSON.parse(fs.readFileSync(path.join(__dirname, 'node_modules', pkg, 'package.json'), 'utf8')).version;
// Baileys 7 is an ES module, 6.17.16 CommonJS; both are loaded with import() into these bindings.
let encodeBinaryNode, decodeBinaryNode, jidEncode, constants;
const load = async () => {
  const lib = await import(pkg);
  constants = await import(pkg + '/lib/WABinary/constants.js');
  if (!constants.SINGLE_BYTE_TOKENS) constants = constants.default;
  const api = lib.encodeBinaryNode ? lib : lib.default;
  ({ encodeBinaryNode, decodeBinaryNode, jidEncode } = api);
};

const toJson = (node) => {
  const out = { tag: node.tag, attrs: {} };
  for (const k of Object.keys(node.attrs || {})) out.attrs[k] = node.attrs[k];
  const c = node.content;
  if (Array.isArray(c)) out.content = c.map(toJson);
  else if (typeof c === 'string') out.content = c;
  else if (c instanceof Uint8Array) out.content = { $bytes: Buffer.from(c).toString('base64') };
  else if (c !== undefined) throw new Error('unexpected content ' + typeof c);
  return out;
};

const fromJson = (j) => {
  const node = { tag: j.tag, attrs: { ...j.attrs } };
  const c = j.content;
  if (Array.isArray(c)) node.content = c.map(fromJson);
  else if (typeof c === 'string') node.content = c;
  else if (c && typeof c.$bytes === 'string') node.content = Buffer.from(c.$bytes, 'base64');
  return node;
};

// structural comparison; returns '' when equal, else where they differ
const diff = (a, b, path) => {
  if (a.tag !== b.tag) return `${path}: tag ${JSON.stringify(a.tag)} != ${JSON.stringify(b.tag)}`;
  const ka = Object.keys(a.attrs), kb = Object.keys(b.attrs);
  if (ka.join('\u0000') !== kb.join('\u0000')) return `${path}<${a.tag}>: attr keys ${JSON.stringify(ka)} != ${JSON.stringify(kb)}`;
  for (const k of ka) {
    if (a.attrs[k] !== b.attrs[k]) return `${path}<${a.tag}>@${k}: ${JSON.stringify(a.attrs[k])} != ${JSON.stringify(b.attrs[k])}`;
  }
  const ca = a.content, cb = b.content;
  const kind = (c) => (c === undefined ? 'none' : Array.isArray(c) ? 'list' : typeof c === 'string' ? 'string' : 'bytes');
  if (kind(ca) !== kind(cb)) return `${path}<${a.tag}>: content ${kind(ca)} != ${kind(cb)}`;
  if (kind(ca) === 'list') {
    if (ca.length !== cb.length) return `${path}<${a.tag}>: ${ca.length} children != ${cb.length}`;
    for (let i = 0; i < ca.length; i++) {
      const d = diff(ca[i], cb[i], `${path}/${a.tag}[${i}]`);
      if (d) return d;
    }
  } else if (kind(ca) === 'string') {
    if (ca !== cb) return `${path}<${a.tag}>: text ${JSON.stringify(ca)} != ${JSON.stringify(cb)}`;
  } else if (kind(ca) === 'bytes') {
    if (ca.$bytes !== cb.$bytes) return `${path}<${a.tag}>: bytes differ`;
  }
  return '';
};

// ---- seeded generator (mulberry32) over realistic material ----
const rng = (seed) => {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
};

// Baileys 6.17.16 writes "" as token 0 where Baileys 7, whatsmeow and our codec write it raw, so the
// v2 run leaves empty strings (and prototype names, which read back as "") out.
const emptyStrings = line === '7';

const makeGen = (seed) => {
  const r = rng(seed);
  const int = (n) => Math.floor(r() * n);
  const pick = (arr) => arr[int(arr.length)];
  const single = constants.SINGLE_BYTE_TOKENS.filter((t) => t !== '');
  const double = constants.DOUBLE_BYTE_TOKENS.flat();
  const digits = (n) => { let s = String(1 + int(9)); while (s.length < n) s += int(10); return s; };
  const hexStr = (n) => { let s = ''; for (let i = 0; i < n; i++) s += '0123456789ABCDEF'[int(16)]; return s; };
  const words = ['hello', 'linkwell', 'abc', 'Zm9v', 'with space', 'x-y_z', 'ümlaut', 'emoji 😀', '日本語', 'a\nb', 'tab\there', 'deadbeef', 'q"uote', '<&>'];
  const jid = () => {
    switch (int(12)) {
      case 0: return jidEncode(digits(11 + int(3)), 's.whatsapp.net');
      case 1: return jidEncode(digits(12), 's.whatsapp.net', 1 + int(99));
      case 2: return jidEncode(digits(15), 'lid');
      case 3: return jidEncode(digits(15), 'lid', 1 + int(99));
      case 4: return digits(18) + '@g.us';
      case 5: return digits(11) + '-' + digits(10) + '@g.us';
      case 6: return 'status@broadcast';
      case 7: return '@s.whatsapp.net';
      case 8: return digits(18) + '@newsletter';
      case 9: return hexStr(32) + '@call';
      case 10: return pick(words).replace(/[@:_]/g, '') + '@' + pick(['g.us', 'broadcast', 'c.us', 'x.example']);
      default: return jidEncode(digits(12), 's.whatsapp.net', 1 + int(255));
    }
  };
  // strings Baileys writes lossily (see docs/protocol-binary.md); we must still read its bytes as it does
  const quirk = () => pick([
    digits(12) + ':0@s.whatsapp.net', // AD_JID with device 0, reads back without device
    jidEncode(digits(12), 's.whatsapp.net', 3, 1), // user_1:3@..., the agent is dropped
    digits(12) + ':4@g.us', // AD_JID domain 0: reads back on s.whatsapp.net
    digits(12) + ':300@lid', // device byte 300 & 0xff = 44
    ...(emptyStrings ? ['constructor', 'toString'] : []), // prototype names: Baileys' TOKEN_MAP lookup writes byte 0 = ""
  ]);
  const str = () => {
    if (int(60) === 0) return quirk();
    switch (int(10)) {
      case 0: case 1: return pick(single);
      case 2: return pick(double);
      case 3: case 4: return jid();
      case 5: { // nibble material: digits with - and .
        const n = 1 + int(int(5) === 0 ? 140 : 20);
        let s = ''; for (let i = 0; i < n; i++) s += '0123456789-.'[int(12)]; return s;
      }
      case 6: return hexStr(1 + int(int(5) === 0 ? 140 : 40));
      case 7: return digits(1 + int(13));
      case 8: return int(20) === 0 && emptyStrings ? '' : pick(words);
      default: return int(10) === 0 ? 'x'.repeat(200 + int(400)) : pick(words) + int(1000);
    }
  };
  const isIndexKey = (k) => /^(0|[1-9][0-9]*)$/.test(k); // JS objects reorder such keys
  // As keys, prototype names would be written as "" by Baileys and could collide with a real ""
  // key: a duplicate attribute, which our decoder rejects (Baileys keeps the last). Values only.
  const isProtoName = (k) => k in Object.prototype;
  const node = (depth) => {
    const tag = int(4) === 0 ? pick(words) : pick(int(3) === 0 ? double : single);
    const attrs = {};
    const na = int(6);
    for (let i = 0; i < na; i++) {
      const k = str();
      if (!isIndexKey(k) && !isProtoName(k)) attrs[k] = str();
    }
    const n = { tag, attrs };
    switch (int(depth > 3 ? 3 : 5)) {
      case 0: break;
      case 1: n.content = str(); break;
      case 2: {
        // BINARY_20 material: large blobs only at the root, medium ones rarely below
        const len = depth === 0 && int(10) === 0 ? 256 + int(70000) : int(30) === 0 ? 256 + int(1500) : int(200);
        const b = Buffer.alloc(len); for (let i = 0; i < len; i++) b[i] = int(256);
        n.content = b; break;
      }
      default: {
        const count = depth <= 1 && int(30) === 0 ? 256 + int(50) : int(5); // LIST_16 material
        n.content = [];
        for (let i = 0; i < count; i++) n.content.push(node(depth + 1 + (count > 10 ? 3 : 0)));
      }
    }
    return n;
  };
  return node;
};

const send = (o) => process.stdout.write(JSON.stringify(o) + '\n');

const handle = async (req) => {
  if (req.op === 'tokens') {
    send({ version, single: constants.SINGLE_BYTE_TOKENS, double: constants.DOUBLE_BYTE_TOKENS });
  } else if (req.op === 'generate') {
    const gen = makeGen(req.seed);
    for (let i = 0; i < req.count; i++) {
      const input = gen(0);
      if (i === 7) input.content = Buffer.alloc((1 << 20) + 3, 0x5a); // one BINARY_32
      const enc = encodeBinaryNode(input);
      const decoded = await decodeBinaryNode(enc);
      const reencoded = encodeBinaryNode(decoded);
      send({ i, input: toJson(input), hex: enc.toString('hex'), decoded: toJson(decoded), reencoded: reencoded.toString('hex') });
    }
    send({ done: true });
  } else if (req.op === 'check') {
    let decodeOk = false, detail = '', reencoded = '';
    try {
      const decoded = toJson(await decodeBinaryNode(Buffer.from(req.hex, 'hex')));
      detail = diff(decoded, req.json, '');
      decodeOk = detail === '';
    } catch (e) {
      detail = 'Baileys failed to decode: ' + e.message;
    }
    try {
      reencoded = encodeBinaryNode(fromJson(req.src)).toString('hex');
    } catch (e) {
      detail += ' | Baileys failed to encode: ' + e.message;
    }
    send({ i: req.i, decodeOk, detail, reencoded });
  } else if (req.op === 'encode') {
    try {
      send({ hex: encodeBinaryNode(fromJson(req.json)).toString('hex') });
    } catch (e) {
      send({ failed: e.message });
    }
  } else if (req.op === 'decode') {
    try {
      send({ json: toJson(await decodeBinaryNode(Buffer.from(req.hex, 'hex'))) });
    } catch (e) {
      send({ failed: e.message });
    }
  } else {
    send({ error: 'unknown op ' + req.op });
  }
};

(async () => {
  await load();
  const rl = readline.createInterface({ input: process.stdin, crlfDelay: Infinity });
  for await (const line of rl) {
    if (line.trim() === '') continue;
    try {
      await handle(JSON.parse(line));
    } catch (e) {
      send({ error: String(e && e.stack || e) });
    }
  }
})();
