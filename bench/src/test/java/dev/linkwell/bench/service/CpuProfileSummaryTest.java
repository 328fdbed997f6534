package dev.linkwell.bench.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CpuProfileSummaryTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static JsonNode frame(String function, String url) {
        return JSON.createObjectNode()
                .put("functionName", function)
                .put("url", url)
                .put("lineNumber", 9);
    }

    @Test
    void framesAreFiledUnderTheirPackage() {
        assertThat(CpuProfileSummary.packageOf(
                        frame("decrypt", "file:///srv/host/node_modules/@whiskeysockets/libsignal-node/src/x.js")))
                .isEqualTo("@whiskeysockets/libsignal-node");
        assertThat(CpuProfileSummary.packageOf(
                        frame("f", "file:///srv/host/node_modules/baileys/node_modules/ws/lib/receiver.js")))
                .isEqualTo("ws");
        assertThat(CpuProfileSummary.packageOf(frame("emit", "node:events"))).isEqualTo("node");
        assertThat(CpuProfileSummary.packageOf(frame("start", "file:///srv/host/lib/sockets.js")))
                .isEqualTo("(host's own code)");
        assertThat(CpuProfileSummary.packageOf(frame("(garbage collector)", "")))
                .isEqualTo("(garbage collector)");
        assertThat(CpuProfileSummary.packageOf(frame("writev", ""))).isEqualTo("(native)");
    }

    @Test
    void eachSampleCountsTheTimeUntilTheNextOne() throws Exception {
        JsonNode profile = JSON.readTree("""
                {"nodes": [
                  {"id": 1, "callFrame": {"functionName": "(root)", "url": ""}},
                  {"id": 2, "callFrame": {"functionName": "(garbage collector)", "url": ""}},
                  {"id": 3, "callFrame": {"functionName": "decode", "url": "file:///h/node_modules/baileys/lib/a.js",
                                          "lineNumber": 41}}
                 ],
                 "samples":    [3, 3, 2, 3, 1],
                 "timeDeltas": [5, 100, 300, 400, 200]}
                """);
        CpuProfileSummary summary = CpuProfileSummary.of(profile);

        assertThat(summary.totalMicros()).isEqualTo(1000);
        assertThat(summary.packages())
                .containsExactly(
                        new CpuProfileSummary.Share("baileys", 600),
                        new CpuProfileSummary.Share("(garbage collector)", 400),
                        new CpuProfileSummary.Share("(root)", 0));
        assertThat(summary.functions().getFirst())
                .isEqualTo(new CpuProfileSummary.Share("decode baileys/a.js:42", 600));
        assertThat(summary.render(2))
                .contains(" 60.0%        0.0 s  baileys")
                .contains(" 40.0%        0.0 s  (garbage collector)")
                .doesNotContain("(root)");
    }

    @Test
    void aFileThatIsNotAProfileIsRefused() throws Exception {
        JsonNode broken = JSON.readTree("""
                {"nodes": [{"id": 1, "callFrame": {"functionName": "(root)", "url": ""}}],
                 "samples": [1, 1], "timeDeltas": [1]}
                """);
        assertThatThrownBy(() -> CpuProfileSummary.of(broken)).hasMessageContaining("2 samples but 1 time deltas");
        JsonNode unknown = JSON.readTree("""
                {"nodes": [], "samples": [7], "timeDeltas": [1]}
                """);
        assertThatThrownBy(() -> CpuProfileSummary.of(unknown)).hasMessageContaining("names node 7");
    }

    /** A profile Node itself wrote: the function that burns the CPU comes first among the code. */
    @Test
    void readsWhatNodeWrites(@TempDir Path dir) throws Exception {
        Path script = dir.resolve("busy.js");
        Files.writeString(script, """
                function spinForAWhile () { let x = 0; const end = Date.now() + 400; while (Date.now() < end) x++; return x }
                spinForAWhile()
                """);
        Process node = new ProcessBuilder("node", "--cpu-prof", "--cpu-prof-dir=" + dir, script.toString())
                .redirectErrorStream(true)
                .start();
        assertThat(node.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(node.exitValue()).isZero();
        Path written;
        try (Stream<Path> files = Files.list(dir)) {
            written = files.filter(f -> f.toString().endsWith(".cpuprofile"))
                    .findFirst()
                    .orElseThrow();
        }
        CpuProfileSummary summary = CpuProfileSummary.read(written);

        assertThat(summary.totalMicros()).isGreaterThan(300_000);
        assertThat(summary.functions())
                .filteredOn(s -> !s.name().startsWith("("))
                .first()
                .satisfies(s -> {
                    assertThat(s.name()).startsWith("spinForAWhile (host's own code)/busy.js:1");
                    assertThat(s.micros()).isGreaterThan(summary.totalMicros() / 2);
                });
    }
}
