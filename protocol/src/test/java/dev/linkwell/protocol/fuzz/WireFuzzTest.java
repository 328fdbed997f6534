package dev.linkwell.protocol.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import dev.linkwell.protocol.ProtocolException;
import dev.linkwell.protocol.crypto.KeyPair;
import dev.linkwell.protocol.frame.FrameCodec;
import dev.linkwell.protocol.noise.CertificateMinter;
import dev.linkwell.protocol.noise.CertificateVerifier;
import dev.linkwell.protocol.noise.NoiseInitiator;
import dev.linkwell.protocol.noise.NoiseResponder;
import java.io.ByteArrayOutputStream;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Random;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * Seeded random and mutation fuzzing ({@link Fuzzer}) of every decoder that sees untrusted bytes during
 * connection setup. The only exception allowed out is {@link ProtocolException} (or a subclass).
 */
class WireFuzzTest {

    private static final long SEED = Fuzzer.SEED;
    private static final int ITERATIONS = Fuzzer.ITERATIONS;
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-01-15T12:00:00Z"), ZoneOffset.UTC);

    /** Every key, nonce and ephemeral comes from this seeded generator, so a seed replays exactly. */
    private final SecureRandom keys = Fuzzer.seeded(SEED);

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
        int runs = Fuzzer.run("frame decoder", seed, input -> {
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
        int runs = Fuzzer.run("responder clientHello", hello, input -> {
            byte[] intro =
                    (input.length % 7 == 0) ? Arrays.copyOf(input, Math.min(4, input.length)) : FrameCodec.WA_INTRO;
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
        int runs = Fuzzer.run("responder clientFinish", () -> (byte[]) current[1], input -> {
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
        int runs = Fuzzer.run("initiator serverHello", () -> (byte[]) current[1], input -> {
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
        int runs =
                Fuzzer.run("certificate verifier", chain, ITERATIONS / 5, input -> verifier.verify(input, staticKey));
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
                sig[63] &= 0x0f; // canonical-looking s, so BC gets past its range check
            }
            assertThat(dev.linkwell.protocol.crypto.XEdDSA.verify(pub, msg, sig))
                    .isFalse();
        }
        // u = p - 1 (u + 1 = 0 has no inverse) and u = 0, 1: still just false
        byte[] pMinusOne = HexFormat.of().parseHex("ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f");
        for (byte[] u : new byte[][] {
            pMinusOne,
            new byte[32],
            {1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0}
        }) {
            assertThat(dev.linkwell.protocol.crypto.XEdDSA.verify(u, new byte[1], new byte[64]))
                    .isFalse();
        }
    }
}
