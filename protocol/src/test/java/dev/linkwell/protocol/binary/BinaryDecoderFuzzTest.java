package dev.linkwell.protocol.binary;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;

import dev.linkwell.protocol.ProtocolException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Random and mutated inputs into {@link BinaryDecoder#decode} and {@link BinaryFrames#decodeFrame}:
 * only success or {@link ProtocolException} may come out. Seeded; the seed is printed, and
 * {@code -Dfuzz.seed=N} replays a run; {@code -Dfuzz.iterations=N} changes the count (default
 * 120,000); a 90 s budget bounds the time.
 */
class BinaryDecoderFuzzTest {

    private static final long BUDGET_NANOS = 90_000_000_000L;

    @Test
    void onlyProtocolExceptionsComeOut() {
        long seed = Long.getLong("fuzz.seed", System.nanoTime());
        int iterations = Integer.getInteger("fuzz.iterations", 120_000);
        System.out.println("BinaryDecoderFuzzTest seed=" + seed + " (replay with -Dfuzz.seed=" + seed + ")");
        Random r = new Random(seed);
        RandomNodes gen = new RandomNodes(seed ^ 0x5DEECE66DL);
        List<byte[]> corpus = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            corpus.add(BinaryEncoder.encode(gen.node()));
        }
        corpus.add(Hex.bytes("f8021ef801f8011e"));
        long start = System.nanoTime();
        int done = 0;
        int ok = 0;
        for (; done < iterations; done++) {
            if ((done & 1023) == 0 && System.nanoTime() - start > BUDGET_NANOS) {
                break;
            }
            byte[] input = input(r, corpus);
            boolean asFrame = r.nextInt(4) == 0;
            byte[] target = asFrame ? frame(r, input) : input;
            try {
                Node n = asFrame ? BinaryFrames.decodeFrame(target) : BinaryDecoder.decode(target);
                ok++;
                // whatever decodes must encode again, and the encoding must be stable. (Not always
                // equal to n: a packed string longer than 127 characters decodes but is re-encoded
                // raw, so string content comes back as bytes, as with Baileys.)
                byte[] once = BinaryEncoder.encode(n);
                assertThat(BinaryEncoder.encode(BinaryDecoder.decode(once))).isEqualTo(once);
            } catch (ProtocolException expected) {
                assertThat(expected.getMessage()).isNotBlank();
            } catch (Throwable t) {
                fail(
                        "seed=" + seed + " iteration=" + done + " frame=" + asFrame + " input=" + Hex.of(target)
                                + " threw " + t,
                        t);
            }
        }
        System.out.println("BinaryDecoderFuzzTest: " + done + " inputs, " + ok + " decoded, "
                + (System.nanoTime() - start) / 1_000_000 + " ms");
        assertThat(done).as("inputs run within the time budget").isGreaterThanOrEqualTo(Math.min(iterations, 100_000));
    }

    private static byte[] input(Random r, List<byte[]> corpus) {
        switch (r.nextInt(6)) {
            case 0: { // pure random bytes, short
                byte[] b = new byte[r.nextInt(40)];
                r.nextBytes(b);
                return b;
            }
            case 1: { // random bytes biased to tag values
                byte[] b = new byte[1 + r.nextInt(60)];
                for (int i = 0; i < b.length; i++) {
                    b[i] = (byte) (r.nextBoolean() ? 236 + r.nextInt(20) : r.nextInt(256));
                }
                if (r.nextBoolean()) {
                    b[0] = (byte) 0xF8;
                }
                return b;
            }
            default: { // mutate a valid encoding
                byte[] b = corpus.get(r.nextInt(corpus.size())).clone();
                int mutations = 1 + r.nextInt(4);
                for (int m = 0; m < mutations && b.length > 0; m++) {
                    int at = r.nextInt(b.length);
                    switch (r.nextInt(6)) {
                        case 0 -> b[at] ^= (byte) (1 << r.nextInt(8));
                        case 1 -> b[at] = (byte) r.nextInt(256);
                        case 2 ->
                            b[at] = (byte)
                                    (new int[] {0, 0xF7, 0xF8, 0xF9, 0xFA, 0xFB, 0xFC, 0xFD, 0xFE, 0xFF, 0xEC, 0xEF})
                                            [r.nextInt(12)];
                        case 3 -> b = Arrays.copyOf(b, at); // truncate
                        case 4 -> { // insert a byte
                            byte[] c = new byte[b.length + 1];
                            System.arraycopy(b, 0, c, 0, at);
                            c[at] = (byte) r.nextInt(256);
                            System.arraycopy(b, at, c, at + 1, b.length - at);
                            b = c;
                        }
                        default -> { // delete a byte
                            byte[] c = new byte[b.length - 1];
                            System.arraycopy(b, 0, c, 0, at);
                            System.arraycopy(b, at + 1, c, at, b.length - at - 1);
                            b = c;
                        }
                    }
                }
                return b;
            }
        }
    }

    /** A frame around the input: plain, compressed, or compressed and then damaged. */
    private static byte[] frame(Random r, byte[] input) {
        switch (r.nextInt(3)) {
            case 0: {
                byte[] f = new byte[input.length + 1];
                f[0] = (byte) (r.nextInt(256) & ~2);
                System.arraycopy(input, 0, f, 1, input.length);
                return f;
            }
            default: {
                byte[] z = BinaryMalformedInputTest.deflate(input);
                byte[] f = new byte[z.length + 1];
                f[0] = 2;
                System.arraycopy(z, 0, f, 1, z.length);
                if (r.nextBoolean() && f.length > 1) {
                    int at = 1 + r.nextInt(f.length - 1);
                    if (r.nextBoolean()) {
                        f[at] ^= (byte) (1 << r.nextInt(8));
                    } else {
                        f = Arrays.copyOf(f, at);
                    }
                }
                return f;
            }
        }
    }
}
