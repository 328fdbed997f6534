package dev.linkwell.protocol.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Random;
import java.util.function.Consumer;
import java.util.function.Supplier;

import org.junit.jupiter.api.Test;

import dev.linkwell.protocol.ProtocolException;
import dev.linkwell.protocol.crypto.KeyPair;
import dev.linkwell.protocol.frame.FrameCodec;
import dev.linkwell.protocol.noise.CertificateMinter;
import dev.linkwell.protocol.noise.CertificateVerifier;
import dev.linkwell.protocol.noise.NoiseInitiator;
import dev.linkwell.protocol.noise.NoiseResponder;

/**
 * Seeded random and mutation fuzzing of every decoder that sees untrusted bytes during connection setup.
 * The only exception allowed out is {@link ProtocolException} (or a subclass). Each target runs
 * {@code fuzz.iterations} inputs (default 100,000) or until its time budget ({@code fuzz.seconds}, default
 * 60) is spent; the seed ({@code fuzz.seed}) is printed with any failure so it can be replayed.
 */
class WireFuzzTest {

    private static final long SEED = Long.getLong("fuzz.seed", 0x11_4c_77_e1L);
    private static final int ITERATIONS = Integer.getInteger("fuzz.iterations", 100_000);
    private static final long BUDGET_NANOS = Long.getLong("fuzz.seconds", 60L) * 1_000_000_000L;
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-01-15T12:00:00Z"), ZoneOffset.UTC);

    /** Every key, nonce and ephemeral comes from this seeded generator, so a seed replays exactly. */
    private final SecureRandom keys = seeded(SEED);
    private final KeyPair root = KeyPair.generate(keys);
    private final KeyPair serverStatic = KeyPair.generate(keys);
    private final KeyPair clientStatic = KeyPair.generate(keys);
    private final CertificateMinter minter = new CertificateMinter(root, CLOCK, keys);
    private final byte[] chain = minter.mint(serverStatic.publicKey());
    private final CertificateVerifier verifier = new CertificateVerifier(minter.trustAnchor(), CLOCK);

    @Test
    void frameDecoderOnlyThrowsProtocolException() {
        ByteArrayOutputStream valid = new ByteArrayOutputStream();
        FrameCodec.Encoder encoder = FrameCodec.clientEncoder();
        Random r = new Random(SEED);
        for (int i = 0; i < 8; i++) {
            byte[] p = new byte[r.nextInt(64)];
            r.nextBytes(p);
            valid.writeBytes(encoder.encode(p));
        }
        byte[] seed = valid.toByteArray();
        int runs = run("frame decoder", seed, input -> {
            Random split = new Random(input.length);
            FrameCodec.Decoder decoder = (input.length & 1) == 0
                    ? FrameCodec.serverDecoder()
                    : FrameCodec.decoder(false, 512, FrameCodec.DEFAULT_DICTIONARY_VERSIONS);
            int pos = 0;
            while (pos < input.length) {
                int n = Math.min(input.length - pos, 1 + split.nextInt(40));
                decoder.feed(input, pos, n);
                pos += n;
            }
        });
        assertThat(runs).isGreaterThanOrEqualTo(Math.min(ITERATIONS, 10_000));
    }

    @Test
    void responderClientHelloOnlyThrowsProtocolException() {
        NoiseInitiator initiator = new NoiseInitiator(clientStatic, verifier, FrameCodec.WA_INTRO, keys);
        byte[] hello = initiator.clientHello();
        NoiseResponder[] responder = {new NoiseResponder(serverStatic, chain, keys)};
        int runs = run("responder clientHello", hello, input -> {
            byte[] intro = (input.length % 7 == 0) ? Arrays.copyOf(input, Math.min(4, input.length)) : FrameCodec.WA_INTRO;
            responder[0].processClientHello(intro, input);
            // accepted (e.g. an unknown field was added): start over with a fresh responder
            responder[0] = new NoiseResponder(serverStatic, chain, keys);
        });
        assertThat(runs).isGreaterThanOrEqualTo(Math.min(ITERATIONS, 10_000));
    }

    @Test
    void responderClientFinishOnlyThrowsProtocolException() {
        Supplier<Object[]> setup = () -> {
            NoiseInitiator initiator = new NoiseInitiator(clientStatic, verifier, FrameCodec.WA_INTRO, keys);
            NoiseResponder responder = new NoiseResponder(serverStatic, chain, keys);
            responder.processClientHello(FrameCodec.WA_INTRO, initiator.clientHello());
            initiator.processServerHello(responder.serverHello());
            return new Object[] {responder, initiator.clientFinish(new byte[] {1, 2, 3, 4})};
        };
        Object[] state = setup.get();
        byte[] finish = (byte[]) state[1];
        Object[] current = {state[0], finish};
        int runs = run("responder clientFinish", () -> (byte[]) current[1], input -> {
            ((NoiseResponder) current[0]).processClientFinish(input);
            // accepted: the responder is finished, so continue with a fresh handshake
            Object[] next = setup.get();
            current[0] = next[0];
            current[1] = next[1];
        });
        assertThat(runs).isGreaterThanOrEqualTo(Math.min(ITERATIONS, 10_000));
    }

    @Test
    void initiatorServerHelloOnlyThrowsProtocolException() {
        Supplier<Object[]> setup = () -> {
            NoiseInitiator initiator = new NoiseInitiator(clientStatic, verifier, FrameCodec.WA_INTRO, keys);
            NoiseResponder responder = new NoiseResponder(serverStatic, chain, keys);
            responder.processClientHello(FrameCodec.WA_INTRO, initiator.clientHello());
            return new Object[] {initiator, responder.serverHello()};
        };
        Object[] state = setup.get();
        byte[] serverHello = (byte[]) state[1];
        Object[] current = {state[0], serverHello};
        int runs = run("initiator serverHello", () -> (byte[]) current[1], input -> {
            ((NoiseInitiator) current[0]).processServerHello(input);
            // accepted (e.g. an unknown field appended): continue with a fresh handshake
            Object[] next = setup.get();
            current[0] = next[0];
            current[1] = next[1];
        });
        assertThat(runs).isGreaterThanOrEqualTo(Math.min(ITERATIONS, 10_000));
    }

    @Test
    void certificateVerifierOnlyThrowsProtocolException() {
        // The handshake fuzzers never get a mutated chain past AES-GCM, so the chain parser and the
        // signature checks get their own run (fewer inputs: most of them reach an XEdDSA verification).
        byte[] staticKey = serverStatic.publicKey();
        int runs = run("certificate verifier", chain, ITERATIONS / 5, input -> verifier.verify(input, staticKey));
        assertThat(runs).isGreaterThanOrEqualTo(Math.min(ITERATIONS / 5, 2_000));
    }

    @Test
    void xeddsaVerifyReturnsFalseForGarbage() {
        Random random = new Random(SEED);
        int n = Math.max(1, ITERATIONS / 20);
        for (int i = 0; i < n; i++) {
            byte[] pub = new byte[32];
            byte[] sig = new byte[64];
            byte[] msg = new byte[random.nextInt(64)];
            random.nextBytes(pub);
            random.nextBytes(sig);
            random.nextBytes(msg);
            if (i % 3 == 0) {
                sig[63] &= 0x0f;   // canonical-looking s, so BC gets past its range check
            }
            assertThat(dev.linkwell.protocol.crypto.XEdDSA.verify(pub, msg, sig)).isFalse();
        }
        // u = p - 1 (u + 1 = 0 has no inverse) and u = 0, 1: still just false
        byte[] pMinusOne = HexFormat.of().parseHex("ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f");
        for (byte[] u : new byte[][] {pMinusOne, new byte[32], {1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
                0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0}}) {
            assertThat(dev.linkwell.protocol.crypto.XEdDSA.verify(u, new byte[1], new byte[64])).isFalse();
        }
    }

    /** Runs the target over random and mutated inputs; returns how many inputs were tried. */
    private static int run(String name, byte[] valid, Consumer<byte[]> target) {
        return run(name, () -> valid, ITERATIONS, target);
    }

    private static int run(String name, byte[] valid, int iterations, Consumer<byte[]> target) {
        return run(name, () -> valid, iterations, target);
    }

    private static int run(String name, Supplier<byte[]> valid, Consumer<byte[]> target) {
        return run(name, valid, ITERATIONS, target);
    }

    /** As above, with a seed input that may change when the target is rebuilt. */
    private static int run(String name, Supplier<byte[]> valid, int iterations, Consumer<byte[]> target) {
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
                throw new AssertionError(name + ": " + t.getClass().getName() + " escaped at iteration " + i
                        + " (seed " + SEED + ") for input " + HexFormat.of().formatHex(input), t);
            }
        }
        System.out.printf("fuzz %s: %d inputs, %d accepted, seed %d%n", name, i, accepted, SEED);
        return i;
    }

    private static SecureRandom seeded(long seed) {
        try {
            SecureRandom r = SecureRandom.getInstance("SHA1PRNG");
            r.setSeed(seed);
            return r;
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }

    private static byte[] randomBytes(Random random) {
        byte[] b = new byte[random.nextInt(random.nextBoolean() ? 8 : 200)];
        random.nextBytes(b);
        return b;
    }

    private static byte[] mutate(Random random, byte[] valid) {
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
