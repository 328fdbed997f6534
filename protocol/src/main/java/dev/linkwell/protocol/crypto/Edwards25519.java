package dev.linkwell.protocol.crypto;

import java.math.BigInteger;
import org.bouncycastle.math.ec.rfc7748.X25519Field;

/**
 * The few edwards25519 operations XEdDSA needs that Bouncy Castle does not expose publicly:
 * fixed-base scalar multiplication with an arbitrary (already clamped or reduced) scalar, point
 * encoding, and the birational map from a Montgomery u-coordinate to an Edwards y-coordinate.
 * Field arithmetic is Bouncy Castle's {@link X25519Field}; the group law uses extended coordinates
 * (Hisil, Wong, Carter, Dawson 2008): the complete addition "add-2008-hwcd-3" and the doubling
 * "dbl-2008-hwcd", both for a = -1. The multiplication is a 4-bit fixed window whose table entry is
 * picked by scanning all 16 entries with constant-time conditional moves, so the secret scalar steers
 * neither branches nor memory accesses.
 */
final class Edwards25519 {

    static final BigInteger P = BigInteger.TWO.pow(255).subtract(BigInteger.valueOf(19));
    /** Order of the prime subgroup, 2^252 + 27742317777372353535851937790883648493. */
    static final BigInteger L = BigInteger.TWO.pow(252).add(new BigInteger("27742317777372353535851937790883648493"));

    private static final BigInteger D = BigInteger.valueOf(-121665)
            .multiply(BigInteger.valueOf(121666).modInverse(P))
            .mod(P);
    /** Base point coordinates (RFC 8032 section 5.1). */
    private static final BigInteger BASE_X =
            new BigInteger("15112221349535400772501151409588531511454012693041857206046113283949847762202");

    private static final BigInteger BASE_Y =
            new BigInteger("46316835694926478169428394003475163141307993866256225615783033603165251855960");

    private static final int[] TWO_D = fe(D.shiftLeft(1).mod(P));
    private static final int[] BX = fe(BASE_X);
    private static final int[] BY = fe(BASE_Y);
    private static final int[] BT = fe(BASE_X.multiply(BASE_Y).mod(P));

    /** Window width of the fixed-base multiplication: a table of 0·B .. 15·B. */
    private static final int WINDOW = 4;

    private static final int[][][] TABLE = buildTable();

    private Edwards25519() {}

    /**
     * Encodes {@code k·B} (k little-endian, 32 bytes, any value below 2^256) as RFC 8032 does.
     * 4-bit fixed window from the top nibble: four doublings, then one addition of a table entry chosen
     * by scanning the whole table with constant-time conditional moves.
     */
    static byte[] scalarMultBaseEncoded(byte[] k) {
        if (k.length != 32) {
            throw new IllegalArgumentException("scalar must be 32 bytes");
        }
        int[][] q = identity();
        int[][] pick = {X25519Field.create(), X25519Field.create(), X25519Field.create(), X25519Field.create()};
        for (int i = 63; i >= 0; i--) {
            for (int d = 0; d < WINDOW; d++) {
                dbl(q);
            }
            int nibble = (k[i >>> 1] >>> ((i & 1) * 4)) & 0x0f;
            for (int c = 0; c < 4; c++) {
                X25519Field.copy(TABLE[0][c], 0, pick[c], 0);
            }
            for (int j = 1; j < 16; j++) {
                int diff = nibble ^ j;
                int mask = ((diff - 1) >> 31); // -1 when nibble == j, else 0 (diff is 0..15)
                for (int c = 0; c < 4; c++) {
                    X25519Field.cmov(mask, TABLE[j][c], 0, pick[c], 0);
                }
            }
            add(q[0], q[1], q[2], q[3], pick[0], pick[1], pick[2], pick[3], q[0], q[1], q[2], q[3]);
        }
        return encode(q[0], q[1], q[2]);
    }

    private static int[][] identity() {
        int[][] p = {X25519Field.create(), X25519Field.create(), X25519Field.create(), X25519Field.create()};
        X25519Field.one(p[1]);
        X25519Field.one(p[2]);
        return p;
    }

    private static int[][][] buildTable() {
        int[][][] table = new int[16][][];
        table[0] = identity();
        int[] one = X25519Field.create();
        X25519Field.one(one);
        table[1] = new int[][] {BX.clone(), BY.clone(), one, BT.clone()};
        for (int j = 2; j < 16; j++) {
            int[][] prev = table[j - 1];
            int[][] next = {X25519Field.create(), X25519Field.create(), X25519Field.create(), X25519Field.create()};
            add(prev[0], prev[1], prev[2], prev[3], BX, BY, one, BT, next[0], next[1], next[2], next[3]);
            table[j] = next;
        }
        return table;
    }

    /**
     * In-place doubling, "dbl-2008-hwcd" (Hisil et al. 2008) with a = -1:
     * A = X^2, B = Y^2, C = 2Z^2, E = (X+Y)^2 - A - B, G = B - A, F = G - C, H = -(A + B);
     * X' = E*F, Y' = G*H, T' = E*H, Z' = F*G.
     */
    private static void dbl(int[][] p) {
        int[] a = X25519Field.create();
        int[] b = X25519Field.create();
        int[] c = X25519Field.create();
        int[] e = X25519Field.create();
        int[] f = X25519Field.create();
        int[] g = X25519Field.create();
        int[] h = X25519Field.create();
        X25519Field.sqr(p[0], a);
        X25519Field.sqr(p[1], b);
        X25519Field.sqr(p[2], c);
        plus(c, c, c);
        plus(a, b, h);
        plus(p[0], p[1], e);
        X25519Field.sqr(e, e);
        sub(e, h, e);
        sub(b, a, g);
        sub(g, c, f);
        sub(X25519Field.create(), h, h);
        X25519Field.mul(e, f, p[0]);
        X25519Field.mul(g, h, p[1]);
        X25519Field.mul(e, h, p[3]);
        X25519Field.mul(f, g, p[2]);
    }

    /** Edwards y = (u - 1) / (u + 1) for a Montgomery u (bit 255 ignored, as RFC 7748 decodes u). */
    static byte[] montgomeryToEdwardsY(byte[] u) {
        int[] fu = X25519Field.create();
        X25519Field.decode(u, 0, fu);
        int[] num = X25519Field.create();
        int[] den = X25519Field.create();
        X25519Field.copy(fu, 0, num, 0);
        X25519Field.subOne(num);
        X25519Field.copy(fu, 0, den, 0);
        X25519Field.addOne(den);
        X25519Field.carry(num);
        X25519Field.carry(den);
        X25519Field.inv(den, den);
        int[] y = X25519Field.create();
        X25519Field.mul(num, den, y);
        X25519Field.normalize(y);
        byte[] out = new byte[32];
        X25519Field.encode(y, out, 0);
        return out;
    }

    private static byte[] encode(int[] x, int[] y, int[] z) {
        int[] zInv = X25519Field.create();
        X25519Field.inv(z, zInv);
        int[] ax = X25519Field.create();
        int[] ay = X25519Field.create();
        X25519Field.mul(x, zInv, ax);
        X25519Field.mul(y, zInv, ay);
        X25519Field.normalize(ax);
        X25519Field.normalize(ay);
        byte[] xb = new byte[32];
        byte[] out = new byte[32];
        X25519Field.encode(ax, xb, 0);
        X25519Field.encode(ay, out, 0);
        out[31] = (byte) ((out[31] & 0x7f) | ((xb[0] & 1) << 7));
        return out;
    }

    /** (x3,y3,z3,t3) = (x1,y1,z1,t1) + (x2,y2,z2,t2); outputs may alias inputs. */
    private static void add(
            int[] x1,
            int[] y1,
            int[] z1,
            int[] t1,
            int[] x2,
            int[] y2,
            int[] z2,
            int[] t2,
            int[] x3,
            int[] y3,
            int[] z3,
            int[] t3) {
        int[] a = X25519Field.create();
        int[] b = X25519Field.create();
        int[] c = X25519Field.create();
        int[] d = X25519Field.create();
        int[] s1 = X25519Field.create();
        int[] s2 = X25519Field.create();
        sub(y1, x1, s1);
        sub(y2, x2, s2);
        X25519Field.mul(s1, s2, a);
        plus(y1, x1, s1);
        plus(y2, x2, s2);
        X25519Field.mul(s1, s2, b);
        X25519Field.mul(t1, TWO_D, c);
        X25519Field.mul(c, t2, c);
        X25519Field.mul(z1, z2, d);
        plus(d, d, d);
        int[] e = X25519Field.create();
        int[] f = X25519Field.create();
        int[] g = X25519Field.create();
        int[] h = X25519Field.create();
        sub(b, a, e);
        sub(d, c, f);
        plus(d, c, g);
        plus(b, a, h);
        X25519Field.mul(e, f, x3);
        X25519Field.mul(g, h, y3);
        X25519Field.mul(e, h, t3);
        X25519Field.mul(f, g, z3);
    }

    private static void plus(int[] x, int[] y, int[] z) {
        X25519Field.add(x, y, z);
        X25519Field.carry(z);
    }

    private static void sub(int[] x, int[] y, int[] z) {
        X25519Field.sub(x, y, z);
        X25519Field.carry(z);
    }

    private static int[] fe(BigInteger v) {
        byte[] le = toLittleEndian32(v);
        int[] out = X25519Field.create();
        X25519Field.decode(le, 0, out);
        return out;
    }

    /** Little-endian 32-byte encoding of 0 <= v < 2^256. */
    static byte[] toLittleEndian32(BigInteger v) {
        byte[] be = v.toByteArray(); // big-endian, possibly with a leading sign byte
        byte[] le = new byte[32];
        for (int i = 0; i < 32 && i < be.length; i++) {
            le[i] = be[be.length - 1 - i];
        }
        return le;
    }

    static BigInteger fromLittleEndian(byte[] le) {
        byte[] be = new byte[le.length];
        for (int i = 0; i < le.length; i++) {
            be[i] = le[le.length - 1 - i];
        }
        return new BigInteger(1, be);
    }
}
