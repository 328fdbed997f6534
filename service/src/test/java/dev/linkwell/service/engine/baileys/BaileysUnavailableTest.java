package dev.linkwell.service.engine.baileys;

import static org.assertj.core.api.Assertions.assertThat;

import dev.linkwell.service.engine.nativeengine.RunningService;
import dev.linkwell.service.support.Api;
import dev.linkwell.service.support.TestStorage;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Without a usable Node.js (or without the host's packages) {@code provider: "baileys"} answers 503 saying what to
 * install, stores nothing, and the native engine works as before. Needs no Node.js itself.
 */
class BaileysUnavailableTest {

    private final Path root = TestStorage.tempRoot("linkwell-baileys-missing");

    private RunningService start(String node, Path hostDir) {
        Map<String, Object> props = RunningService.defaults(root);
        props.put("linkwell.baileys.node", node);
        props.put("linkwell.baileys.host-dir", hostDir.toString());
        return RunningService.start(props);
    }

    private static Map<String, Object> refused(RunningService svc, String id) {
        HttpResponse<String> put = svc.api.putJson("/sessions/" + id, "{\"provider\":\"baileys\"}");
        assertThat(put.statusCode()).as(put.body()).isEqualTo(503);
        assertThat(put.headers().firstValue("Content-Type"))
                .hasValueSatisfying(t -> assertThat(t).contains("problem+json"));
        return Api.json(put);
    }

    @Test
    void withoutNodeBaileysAnswers503SayingWhatToInstallAndNativeWorks() {
        try (RunningService svc = start(root.resolve("no-such-node").toString(), BaileysInstall.hostDir())) {
            Map<String, Object> problem = refused(svc, "b1");
            assertThat(problem.get("title")).isEqualTo("Provider not available");
            assertThat((String) problem.get("detail"))
                    .contains("needs Node.js 20 or newer")
                    .contains("no-such-node")
                    .contains("https://nodejs.org")
                    .contains("BAILEYS_NODE")
                    .contains("provider 'native' needs no Node.js");
            assertThat(svc.api.get("/sessions/b1").statusCode())
                    .as("nothing was stored")
                    .isEqualTo(404);
            assertThat(root.resolve("sessions/b1")).doesNotExist();

            HttpResponse<String> nativePut = svc.api.put("/sessions/n1");
            assertThat(nativePut.statusCode()).as(nativePut.body()).isEqualTo(200);
            assertThat((String) svc.awaitQr("n1").get("qr")).startsWith("https://wa.me/settings/linked_devices#");
        }
    }

    @Test
    void anOldNodeIsNamedWithItsVersion() throws Exception {
        Path fake = Files.createDirectories(root.resolve("bin")).resolve("node");
        Files.writeString(fake, "#!/bin/sh\necho v18.19.1\n");
        Files.setPosixFilePermissions(fake, PosixFilePermissions.fromString("rwx------"));
        try (RunningService svc = start(fake.toString(), BaileysInstall.hostDir())) {
            assertThat((String) refused(svc, "b2").get("detail"))
                    .contains("is v18.19.1")
                    .contains("Node.js 20");
        }
    }

    @Test
    void aMissingHostFolderNamesTheSetting() {
        BaileysInstall.assumeInstalled(); // needs a real node to get past the first check
        try (RunningService svc = start("node", root.resolve("nowhere"))) {
            assertThat((String) refused(svc, "b3").get("detail"))
                    .contains("no " + root.resolve("nowhere/host.js").toAbsolutePath())
                    .contains("BAILEYS_HOST_DIR");
        }
    }
}
