package dev.linkwell.client.pair;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;

import dev.linkwell.protocol.binary.Node;
import dev.linkwell.protocol.crypto.KeyPair;
import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * Guards against the engine and the simulator agreeing on a mistake: the phone's side of the pairing-code
 * crypto is done by Baileys 6.17.16's own functions (test resource conformance/pairing-code-phone.js) on
 * what {@link PairingCode} produced. Baileys must unwrap our companion ephemeral key, decrypt our key
 * bundle and derive the same adv secret. Skipped when node or the pinned Baileys is missing, unless env
 * {@code CI} is set (then it fails).
 */
class PairingCodeBaileysConformanceTest {

    private static final HexFormat HEX = HexFormat.of();

    @Test
    void baileysReadsOurWrappedKeysAndBundleAndDerivesTheSameAdvSecret() throws Exception {
        Path conformance = conformanceDir();
        SecureRandom random = new SecureRandom();
        PairingCode pc = PairingCode.create("5511999990000", random);
        KeyPair companionIdentity = KeyPair.generate(random);
        KeyPair primaryIdentity = KeyPair.generate(random);
        KeyPair primaryEphemeral = KeyPair.generate(random);

        Node hello = pc.companionHello("1", new byte[32], "1", "Chrome (Linux)", random);
        byte[] wrappedCompanion = hello.child("link_code_companion_reg")
                .child("link_code_pairing_wrapped_companion_ephemeral_pub")
                .contentBytes();
        byte[] wrappedPrimary = PairingCode.wrap(pc.code(), primaryEphemeral.publicKey(), random);
        Node reg = Node.builder("link_code_companion_reg")
                .child(Node.builder("link_code_pairing_ref")
                        .bytes("ref-1".getBytes(StandardCharsets.UTF_8))
                        .build())
                .child(Node.builder("primary_identity_pub")
                        .bytes(primaryIdentity.publicKey())
                        .build())
                .child(Node.builder("link_code_pairing_wrapped_primary_ephemeral_pub")
                        .bytes(wrappedPrimary)
                        .build())
                .build();
        PairingCode.Finish finish = pc.finish(reg, "ref-1", "2", companionIdentity, random);
        byte[] bundle = finish.iq()
                .child("link_code_companion_reg")
                .child("link_code_pairing_wrapped_key_bundle")
                .contentBytes();

        String input = "{\"code\":\"" + pc.code() + "\""
                + ",\"wrappedCompanion\":\"" + HEX.formatHex(wrappedCompanion) + "\""
                + ",\"wrappedPrimary\":\"" + HEX.formatHex(wrappedPrimary) + "\""
                + ",\"primaryEphPriv\":\"" + HEX.formatHex(primaryEphemeral.privateKey()) + "\""
                + ",\"primaryIdentityPriv\":\"" + HEX.formatHex(primaryIdentity.privateKey()) + "\""
                + ",\"bundle\":\"" + HEX.formatHex(bundle) + "\"}";
        String out = runNode(conformance, input);

        assertThat(field(out, "companionEph")).isEqualTo(HEX.formatHex(pc.ephemeralPublic()));
        assertThat(field(out, "primaryEph")).isEqualTo(HEX.formatHex(primaryEphemeral.publicKey()));
        byte[] plain = HEX.parseHex(field(out, "plain"));
        assertThat(plain).hasSize(96);
        assertThat(Arrays.copyOfRange(plain, 0, 32)).isEqualTo(companionIdentity.publicKey());
        assertThat(Arrays.copyOfRange(plain, 32, 64)).isEqualTo(primaryIdentity.publicKey());
        assertThat(field(out, "advSecret")).isEqualTo(HEX.formatHex(finish.advSecret()));
    }

    private static String field(String json, String name) {
        Matcher m = Pattern.compile("\"" + name + "\":\"([0-9a-f]*)\"").matcher(json);
        assertThat(m.find()).as(name + " in " + json).isTrue();
        return m.group(1);
    }

    private static String runNode(Path conformance, String input)
            throws IOException, InterruptedException, URISyntaxException {
        Path script = Path.of(PairingCodeBaileysConformanceTest.class
                .getResource("/conformance/pairing-code-phone.js")
                .toURI());
        ProcessBuilder pb = new ProcessBuilder("node", script.toString()).directory(conformance.toFile());
        pb.environment().put("NODE_PATH", conformance.resolve("node_modules").toString());
        Process p;
        try {
            p = pb.start();
        } catch (IOException e) {
            unavailable("node is not on PATH: " + e.getMessage());
            throw e;
        }
        p.getOutputStream().write(input.getBytes(StandardCharsets.UTF_8));
        p.getOutputStream().close();
        byte[] stdout;
        byte[] stderr;
        try (InputStream o = p.getInputStream();
                InputStream e = p.getErrorStream()) {
            stdout = o.readAllBytes();
            stderr = e.readAllBytes();
        }
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            fail("node did not finish");
        }
        assertThat(p.exitValue()).as(new String(stderr, StandardCharsets.UTF_8)).isZero();
        return new String(stdout, StandardCharsets.UTF_8);
    }

    private static Path conformanceDir() {
        String dir = System.getProperty("conformance.dir");
        Path path = dir == null ? null : Path.of(dir).toAbsolutePath().normalize();
        if (path == null || !Files.isDirectory(path.resolve("node_modules/baileys"))) {
            unavailable(
                    "Baileys is not installed under conformance.dir (" + dir + "); run bash conformance/install.sh");
        }
        return path;
    }

    private static void unavailable(String why) {
        if (System.getenv("CI") != null) {
            fail(why);
        }
        Assumptions.abort(why);
    }
}
