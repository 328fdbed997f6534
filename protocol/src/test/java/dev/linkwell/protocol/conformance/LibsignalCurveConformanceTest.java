package dev.linkwell.protocol.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.linkwell.protocol.crypto.Curve25519;
import dev.linkwell.protocol.crypto.KeyPair;
import dev.linkwell.protocol.crypto.XEdDSA;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Differential check of XEdDSA and X25519 against libsignal-node 6.0.0 (conformance/curve-check.js):
 * Java signatures verify there, its signatures verify here, tampering fails here, and key agreement and
 * public-from-private agree.
 */
class LibsignalCurveConformanceTest {

    private static final HexFormat HEX = HexFormat.of();
    private static final int CASES = 64;

    @Test
    void javaAndLibsignalNodeAgree() throws Exception {
        Path dir = NodeConformance.conformanceDir("libsignal", "curve25519-js");
        String node = NodeConformance.node();

        Random random = new Random(42);
        List<KeyPair> signers = new ArrayList<>();
        List<Map<String, String>> javaSigned = new ArrayList<>();
        List<String> privates = new ArrayList<>();
        List<Map<String, String>> agreements = new ArrayList<>();
        for (int i = 0; i < CASES; i++) {
            KeyPair pair = KeyPair.generate();
            signers.add(pair);
            byte[] msg = new byte[i % 7 == 0 ? 0 : random.nextInt(400) + 1];
            random.nextBytes(msg);
            byte[] sig = XEdDSA.sign(pair.privateKey(), msg);
            javaSigned.add(Map.of(
                    "pub", HEX.formatHex(pair.publicKey()), "msg", HEX.formatHex(msg), "sig", HEX.formatHex(sig)));
            // unclamped private keys too: both sides must clamp the same way
            byte[] raw = new byte[32];
            random.nextBytes(raw);
            privates.add(HEX.formatHex(i % 2 == 0 ? raw : pair.privateKey()));
            agreements.add(Map.of("javaPub", HEX.formatHex(pair.publicKey())));
        }
        ObjectMapper json = new ObjectMapper();
        byte[] request = json.writeValueAsBytes(Map.of(
                "javaSigned", javaSigned, "javaPrivates", privates, "agreements", agreements, "nodeSignCount", CASES));

        Process process = new ProcessBuilder(node, "curve-check.js")
                .directory(dir.toFile())
                .start();
        try {
            List<String> out = NodeConformance.drain(process.getInputStream(), "curve-check-stdout");
            List<String> err = NodeConformance.drain(process.getErrorStream(), "curve-check-stderr");
            try (OutputStream stdin = process.getOutputStream()) {
                stdin.write(request);
            }
            assertThat(process.waitFor(60, TimeUnit.SECONDS))
                    .as("curve-check.js finished in time")
                    .isTrue();
            assertThat(process.exitValue())
                    .as("curve-check.js exit; stderr: %s", err)
                    .isZero();
            assertThat(out).as("stderr: %s", err).isNotEmpty();
            JsonNode result = json.readTree(out.get(0).getBytes(StandardCharsets.UTF_8));

            // Java signatures verify in libsignal-node; tampered ones do not
            for (int i = 0; i < CASES; i++) {
                assertThat(result.get("javaSignaturesValid").get(i).asBoolean())
                        .as("java signature %d", i)
                        .isTrue();
                assertThat(result.get("javaTamperedValid").get(i).asBoolean())
                        .as("tampered java signature %d", i)
                        .isFalse();
            }
            // public from private (libsignal getPublicFromPrivateKey vs our clamp + X25519 base mult)
            for (int i = 0; i < CASES; i++) {
                byte[] priv = HEX.parseHex(privates.get(i));
                assertThat(result.get("publicFromPrivate").get(i).asText())
                        .as("public key of private %d", i)
                        .isEqualTo(HEX.formatHex(KeyPair.fromPrivateKey(priv).publicKey()));
            }
            // key agreement both ways
            for (int i = 0; i < CASES; i++) {
                JsonNode a = result.get("agreements").get(i);
                byte[] shared = Curve25519.sharedSecret(
                        signers.get(i).privateKey(),
                        HEX.parseHex(a.get("nodePub").asText()));
                assertThat(HEX.formatHex(shared))
                        .as("agreement %d", i)
                        .isEqualTo(a.get("shared").asText());
                assertThat(HEX.formatHex(Curve25519.publicFromPrivate(
                                HEX.parseHex(a.get("nodePriv").asText()))))
                        .isEqualTo(a.get("nodePub").asText());
            }
            // libsignal-node signatures verify in Java; tampered ones fail
            JsonNode nodeSigned = result.get("nodeSigned");
            assertThat(nodeSigned.size()).isEqualTo(CASES);
            for (JsonNode c : nodeSigned) {
                byte[] pub = HEX.parseHex(c.get("pub").asText());
                byte[] msg = HEX.parseHex(c.get("msg").asText());
                byte[] sig = HEX.parseHex(c.get("sig").asText());
                assertThat(XEdDSA.verify(pub, msg, sig))
                        .as("node signature over %s", c.get("msg").asText())
                        .isTrue();
                assertThat(XEdDSA.verify(Curve25519.toSignalPublicKey(pub), msg, sig))
                        .isTrue();
                byte[] tampered = sig.clone();
                tampered[40] ^= 0x04;
                assertThat(XEdDSA.verify(pub, msg, tampered)).isFalse();
                byte[] otherMsg = java.util.Arrays.copyOf(msg, msg.length + 1);
                assertThat(XEdDSA.verify(pub, otherMsg, sig)).isFalse();
                // our signature with libsignal-node's (clamped by it) key verifies against its public key
                byte[] ours = XEdDSA.sign(HEX.parseHex(c.get("priv").asText()), msg);
                assertThat(XEdDSA.verify(pub, msg, ours)).isTrue();
            }
        } finally {
            process.destroyForcibly();
        }
    }
}
