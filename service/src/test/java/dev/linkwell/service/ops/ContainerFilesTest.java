package dev.linkwell.service.ops;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.xpath.XPathFactory;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.yaml.snakeyaml.Yaml;
import tools.jackson.databind.json.JsonMapper;

/**
 * No Docker engine runs here, so the Dockerfile and compose.yaml are checked as text: the Dockerfile
 * parses into known instructions, builds in a named stage, copies the jar the Maven build makes
 * (service/pom.xml's finalName) and runs it as a user that is not root, with STORAGE_ROOT on a
 * volume and a health check on the port it exposes; compose.yaml runs that image with a volume there.
 */
class ContainerFilesTest {

    private static final Set<String> INSTRUCTIONS = Set.of(
            "FROM",
            "RUN",
            "CMD",
            "LABEL",
            "EXPOSE",
            "ENV",
            "ADD",
            "COPY",
            "ENTRYPOINT",
            "VOLUME",
            "USER",
            "WORKDIR",
            "ARG",
            "ONBUILD",
            "STOPSIGNAL",
            "HEALTHCHECK",
            "SHELL");
    private static final Path PROJECT = Path.of("..").toAbsolutePath().normalize();

    record Instruction(String keyword, String arguments) {}

    static List<List<Instruction>> stages;

    @BeforeAll
    static void parse() throws IOException {
        stages = stages(instructions(Files.readString(PROJECT.resolve("Dockerfile"))));
    }

    @Test
    void itParsesIntoKnownInstructionsInTwoStages() {
        assertThat(stages).hasSize(2);
        stages.forEach(stage -> stage.forEach(
                i -> assertThat(INSTRUCTIONS).as("instruction %s", i.keyword()).contains(i.keyword())));
        assertThat(first(stages.get(0), "FROM").arguments()).matches("\\S+ AS build");
        assertThat(first(stages.get(0), "RUN").arguments()).contains("-pl service -am", "-DskipTests", "package");
    }

    @Test
    void itCopiesAndRunsTheJarTheBuildMakes() throws Exception {
        String jar = finalName() + ".jar";
        String buildDir = first(stages.get(0), "WORKDIR").arguments();
        Instruction copy = stages.get(1).stream()
                .filter(i -> i.keyword().equals("COPY") && i.arguments().startsWith("--from=build "))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no COPY --from=build in the run stage"));
        String[] parts = copy.arguments().split("\\s+");

        assertThat(parts[1]).isEqualTo(buildDir + "/service/target/" + jar);
        List<String> entrypoint = execForm(first(stages.get(1), "ENTRYPOINT"));
        assertThat(entrypoint.getFirst()).isEqualTo("java");
        assertThat(entrypoint).containsSubsequence("-jar", parts[2]);
    }

    @Test
    void itRunsAsAUserThatIsNotRootFromBeforeTheEntrypoint() {
        List<Instruction> run = stages.get(1);
        Instruction user = first(run, "USER");
        String uid = user.arguments().split(":")[0];

        assertThat(uid).isNotIn("root", "0").matches("[1-9][0-9]*");
        assertThat(run.indexOf(user)).isLessThan(run.indexOf(first(run, "ENTRYPOINT")));
        assertThat(run.stream().filter(i -> i.keyword().equals("RUN")).map(Instruction::arguments))
                .anySatisfy(r -> assertThat(r).contains("useradd", "--uid " + uid));
    }

    @Test
    void storageRootIsAVolumeAndTheHealthCheckAsksReadinessOnTheExposedPort() throws Exception {
        Map<String, String> env = env(stages.get(1));
        List<String> volumes = execForm(first(stages.get(1), "VOLUME"));

        assertThat(volumes).contains(env.get("STORAGE_ROOT"));
        assertThat(first(stages.get(1), "EXPOSE").arguments()).isEqualTo(env.get("PORT"));
        assertThat(first(stages.get(1), "HEALTHCHECK").arguments())
                .contains("CMD ", "${PORT}", "/actuator/health/readiness");
    }

    @Test
    void composeRunsTheImageWithTheVolumeOnStorageRootAndAnApiKey() {
        Map<String, Object> compose = new Yaml().load(read(PROJECT.resolve("compose.yaml")));
        Map<String, Object> service = map(map(compose.get("services")).get("linkwell"));

        assertThat(service.get("build")).isEqualTo(".");
        assertThat((List<?>) service.get("volumes"))
                .anySatisfy(v ->
                        assertThat((String) v).endsWith(":" + env(stages.get(1)).get("STORAGE_ROOT")));
        assertThat(map(service.get("environment"))).containsKeys("API_KEY", "WEBHOOK_URL", "WEBHOOK_SECRET");
        assertThat(map(compose.get("volumes"))).containsKey("linkwell-data");
        assertThat(service).containsKey("stop_grace_period");
    }

    /** Logical lines: comments and parser directives dropped, backslash continuations joined. */
    static List<Instruction> instructions(String dockerfile) {
        List<Instruction> instructions = new ArrayList<>();
        StringBuilder line = new StringBuilder();
        for (String raw : dockerfile.split("\n")) {
            String trimmed = raw.strip();
            if (trimmed.startsWith("#") || (trimmed.isEmpty() && line.isEmpty())) {
                continue;
            }
            if (trimmed.endsWith("\\")) {
                line.append(trimmed, 0, trimmed.length() - 1).append(' ');
                continue;
            }
            line.append(trimmed);
            String[] parts = line.toString().strip().split("\\s+", 2);
            instructions.add(new Instruction(
                    parts[0].toUpperCase(Locale.ROOT), parts.length > 1 ? parts[1].replaceAll("\\s+", " ") : ""));
            line.setLength(0);
        }
        assertThat(line).as("no dangling continuation").isEmpty();
        return instructions;
    }

    private static List<List<Instruction>> stages(List<Instruction> instructions) {
        List<List<Instruction>> stages = new ArrayList<>();
        for (Instruction instruction : instructions) {
            if (instruction.keyword().equals("FROM")) {
                stages.add(new ArrayList<>());
            }
            assertThat(stages).as("FROM comes first").isNotEmpty();
            stages.getLast().add(instruction);
        }
        return stages;
    }

    private static Instruction first(List<Instruction> stage, String keyword) {
        return stage.stream()
                .filter(i -> i.keyword().equals(keyword))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no " + keyword + " in the stage"));
    }

    private static List<String> execForm(Instruction instruction) {
        assertThat(instruction.arguments())
                .as("%s in exec (JSON) form", instruction.keyword())
                .startsWith("[");
        return List.of(JsonMapper.builder().build().readValue(instruction.arguments(), String[].class));
    }

    private static Map<String, String> env(List<Instruction> stage) {
        Map<String, String> env = new LinkedHashMap<>();
        Matcher pair = Pattern.compile("(\\w+)=(\"[^\"]*\"|\\S+)").matcher("");
        stage.stream().filter(i -> i.keyword().equals("ENV")).forEach(i -> {
            pair.reset(i.arguments());
            while (pair.find()) {
                env.put(pair.group(1), pair.group(2).replace("\"", ""));
            }
        });
        return env;
    }

    private static String finalName() throws Exception {
        Document pom = DocumentBuilderFactory.newInstance()
                .newDocumentBuilder()
                .parse(PROJECT.resolve("service/pom.xml").toFile());
        String name = XPathFactory.newInstance()
                .newXPath()
                .evaluate("/project/build/finalName", pom)
                .strip();
        assertThat(name).as("service/pom.xml names its jar").isNotEmpty();
        return name;
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object value) {
        return (Map<String, Object>) value;
    }
}
