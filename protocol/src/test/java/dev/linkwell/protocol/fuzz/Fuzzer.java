package dev.linkwell.protocol.fuzz;

import dev.linkwell.protocol.ProtocolException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Random;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Seeded random and mutation fuzzing: feeds a target random inputs and mutations of a valid one, and
 * fails on anything thrown that is not a {@link ProtocolException}. Each run stops after
 * {@code fuzz.iterations} inputs (default 100,000, or a share of it) or its time budget ({@code fuzz.seconds},
 * default 60); the seed ({@code fuzz.seed}) is printed with any failure so it can be replayed.
 */
final class Fuzzer {

    static final long SEED = Long.getLong("fuzz.seed", 0x11_4c_77_e1L);
    static final int ITERATIONS = Integer.getInteger("fuzz.iterations", 100_000);
    static final long BUDGET_NANOS = Long.getLong("fuzz.seconds", 60L) * 1_000_000_000L;

    private Fuzzer() {}

    /** Runs the target over random and mutated inputs; returns how many inputs were tried. */
    static int run(String name, byte[] valid, Consumer<byte[]> target) {
        return run(name, () -> valid, ITERATIONS, target);
    }

    static int run(String name, byte[] valid, int iterations, Consumer<byte[]> target) {
        return run(name, () -> valid, iterations, target);
    }

    static int run(String name, Supplier<byte[]> valid, Consumer<byte[]> target) {
        return run(name, valid, ITERATIONS, target);
    }

    /** As above, with a seed input that may change when the target is rebuilt. */
    static int run(String name, Supplier<byte[]> valid, int iterations, Consumer<byte[]> target) {
        Random random = new Random(SEED ^ name.hashCode());
        long deadline = System.nanoTime() + BUDGET_NANOS;
        int accepted = 0;
        int i = 0;
        for (; i < iterations && System.nanoTime() < deadline; i++) {
            byte[] input = i % 4 == 0 ? randomBytes(random) : mutate(random, valid.get());
            try {
                target.accept(input);
                accepted++;
            } catch (ProtocolException expected) {
                // the only acceptable failure
            } catch (Throwable t) {
                throw new AssertionError(
                        name + ": " + t.getClass().getName() + " escaped at iteration " + i + " (seed " + SEED
                                + ") for input " + HexFormat.of().formatHex(input),
                        t);
            }
        }
        System.out.printf("fuzz %s: %d inputs, %d accepted, seed %d%n", name, i, accepted, SEED);
        return i;
    }

    static SecureRandom seeded(long seed) {
        try {
            SecureRandom r = SecureRandom.getInstance("SHA1PRNG");
            r.setSeed(seed);
            return r;
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }

    static byte[] randomBytes(Random random) {
        byte[] b = new byte[random.nextInt(random.nextBoolean() ? 8 : 200)];
        random.nextBytes(b);
        return b;
    }

    static byte[] mutate(Random random, byte[] valid) {
        byte[] b = valid.clone();
        int rounds = 1 + random.nextInt(4);
        for (int k = 0; k < rounds; k++) {
            if (b.length == 0) {
                b = randomBytes(random);
                continue;
            }
            int pos = random.nextInt(b.length);
            switch (random.nextInt(8)) {
                case 0 -> b[pos] ^= (byte) (1 << random.nextInt(8));
                case 1 -> b[pos] = (byte) random.nextInt(256);
                case 2 -> b = Arrays.copyOf(b, pos);
                case 3 -> {
                    byte[] extra = new byte[1 + random.nextInt(8)];
                    random.nextBytes(extra);
                    byte[] out = new byte[b.length + extra.length];
                    System.arraycopy(b, 0, out, 0, pos);
                    System.arraycopy(extra, 0, out, pos, extra.length);
                    System.arraycopy(b, pos, out, pos + extra.length, b.length - pos);
                    b = out;
                }
                case 4 -> {
                    int end = Math.min(b.length, pos + 1 + random.nextInt(16));
                    byte[] out = new byte[b.length - (end - pos)];
                    System.arraycopy(b, 0, out, 0, pos);
                    System.arraycopy(b, end, out, pos, b.length - end);
                    b = out;
                }
                case 5 -> b[pos] = (byte) 0xff;
                case 6 -> {
                    byte[] out = Arrays.copyOf(b, b.length * 2);
                    System.arraycopy(b, 0, out, b.length, b.length);
                    b = out;
                }
                default -> b[pos] = (byte) (b[pos] + (random.nextBoolean() ? 1 : -1));
            }
        }
        return b;
    }
}
