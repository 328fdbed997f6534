'use strict';
// Prints protocol/src/main/java/dev/linkwell/protocol/binary/Tokens.java from the token tables of the
// pinned Baileys (lib/WABinary/constants.js). The tables are protocol data; this only reformats them.
// Usage: node conformance/binary-tokens-gen.js > protocol/src/main/java/dev/linkwell/protocol/binary/Tokens.java
const c = require('@whiskeysockets/baileys/lib/WABinary/constants');
const version = require('@whiskeysockets/baileys/package.json').version;
const q = (s) => JSON.stringify(s); // token strings are printable ASCII, JSON quoting is valid Java
const rows = (arr) => {
  const out = [];
  for (let i = 0; i < arr.length; i += 4) out.push('        ' + arr.slice(i, i + 4).map(q).join(', ') + ',');
  return out.join('\n');
};
const lines = [];
lines.push('package dev.linkwell.protocol.binary;');
lines.push('');
lines.push('/**');
lines.push(' * WhatsApp Web binary-node token dictionaries (protocol data, dictionary version 3).');
lines.push(' *');
lines.push(' * <p>Source: Baileys ' + version + ', {@code lib/WABinary/constants.js} ({@code SINGLE_BYTE_TOKENS},');
lines.push(' * {@code DOUBLE_BYTE_TOKENS}), reformatted by {@code conformance/binary-tokens-gen.js}; the same tables');
lines.push(' * appear in whatsmeow {@code binary/token/token.go}. Do not edit by hand: regenerate.');
lines.push(' */');
lines.push('final class Tokens {');
lines.push('');
lines.push('    private Tokens() {}');
lines.push('');
lines.push('    /** Index = the single byte on the wire (1..' + (c.SINGLE_BYTE_TOKENS.length - 1) + '); index 0 is the empty string. */');
lines.push('    static final String[] SINGLE_BYTE = {');
lines.push(rows(c.SINGLE_BYTE_TOKENS));
lines.push('    };');
lines.push('');
lines.push('    /** [dictionary 0..3][index 0..255]; on the wire DICTIONARY_0 + dictionary, then the index byte. */');
lines.push('    static final String[][] DOUBLE_BYTE = {');
for (const d of c.DOUBLE_BYTE_TOKENS) {
  lines.push('        {');
  lines.push(rows(d).replace(/^        /gm, '            '));
  lines.push('        },');
}
lines.push('    };');
lines.push('}');
process.stdout.write(lines.join('\n') + '\n');
