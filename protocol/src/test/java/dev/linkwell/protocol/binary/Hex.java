package dev.linkwell.protocol.binary;

import java.util.HexFormat;

final class Hex {
    private Hex() {}

    /** Parses hex with optional spaces: "f8 01 1e". */
    static byte[] bytes(String hex) {
        return HexFormat.of().parseHex(hex.replace(" ", ""));
    }

    static String of(byte[] b) {
        return HexFormat.of().formatHex(b);
    }
}
