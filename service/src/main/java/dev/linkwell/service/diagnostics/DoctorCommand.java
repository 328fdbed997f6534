package dev.linkwell.service.diagnostics;

import dev.linkwell.service.engine.nativeengine.NativeEngineConfiguration;
import dev.linkwell.service.storage.StorageProperties;
import java.io.PrintStream;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import org.springframework.boot.Banner;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.context.event.ApplicationEnvironmentPreparedEvent;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.ApplicationListener;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Import;

/**
 * {@code java -jar linkwell-service.jar --doctor}: the WhatsApp diagnostic from the command line. Reads the
 * same configuration as the service (environment, {@code .env}, {@code --property=value} arguments), builds
 * only the native engine's settings (no web server, no sessions), runs {@link WhatsAppDoctor}, prints the
 * report and returns the exit status: 0 every step passed, 1 a step failed, 2 the configuration is unusable.
 */
public final class DoctorCommand {

    public static final String FLAG = "--doctor";

    private DoctorCommand() {}

    public static boolean requested(String[] args) {
        return Arrays.asList(args).contains(FLAG);
    }

    /** Runs the doctor; {@code args} may hold {@code --property=value} settings besides {@link #FLAG}. */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        String[] settings = Arrays.stream(args).filter(a -> !a.equals(FLAG)).toArray(String[]::new);
        SpringApplication app = new SpringApplication(DoctorConfiguration.class);
        app.setWebApplicationType(WebApplicationType.NONE);
        app.setBannerMode(Banner.Mode.OFF);
        app.setLogStartupInfo(false);
        app.setRegisterShutdownHook(false);
        // the report is the output; the service's INFO lines would only interleave with it
        // (and a refused configuration is reported below in one line, not as Spring's start-up failure log)
        app.setDefaultProperties(Map.of(
                "logging.level.root", "warn", "logging.level.org.springframework.boot.SpringApplication", "off"));
        app.addListeners(refuseDemoMode());
        try (ConfigurableApplicationContext context = app.run(settings)) {
            DoctorReport report = context.getBean(WhatsAppDoctor.class).examine(Optional.empty());
            out.print(render(report));
            out.flush();
            return report.ok() ? 0 : 1;
        } catch (RuntimeException e) {
            err.println("linkwell doctor: cannot run: " + rootMessage(e));
            return 2;
        }
    }

    /** The report as people read it: one line per step, the advice under the failed one. */
    static String render(DoctorReport r) {
        StringBuilder sb = new StringBuilder("Linkwell doctor\n");
        sb.append("  server:       ").append(r.url()).append('\n');
        sb.append("  version:      ")
                .append(r.version())
                .append(" (")
                .append(r.versionDetail())
                .append(")\n");
        sb.append("  trust anchor: ").append(r.trustAnchor()).append("\n\n");
        for (DoctorReport.Step s : r.steps()) {
            String mark = switch (s.status()) {
                case "passed" -> "ok  ";
                case "failed" -> "FAIL";
                default -> "skip";
            };
            String time = s.status().equals("skipped") ? "" : s.millis() + " ms";
            sb.append(String.format("  %s  %-18s %8s  %s%n", mark, s.title(), time, s.detail()));
            if (s.advice() != null) {
                sb.append("        What to change: ").append(s.advice()).append('\n');
            }
        }
        sb.append('\n');
        if (r.ok()) {
            sb.append("Result: every step passed in ")
                    .append(r.totalMillis())
                    .append(" ms; this machine can link devices to this server with these settings.\n");
        } else {
            String title = r.steps().stream()
                    .filter(s -> s.step().equals(r.failedStep()))
                    .findFirst()
                    .map(DoctorReport.Step::title)
                    .orElse(r.failedStep());
            sb.append("Result: the step \"")
                    .append(title)
                    .append("\" failed (")
                    .append(r.totalMillis())
                    .append(" ms in all).\n");
        }
        return sb.toString();
    }

    private static ApplicationListener<ApplicationEnvironmentPreparedEvent> refuseDemoMode() {
        return event -> {
            if ("embedded"
                    .equalsIgnoreCase(event.getEnvironment()
                            .getProperty("linkwell.simulator.mode", "")
                            .strip())) {
                throw new IllegalStateException(
                        "--doctor checks the server WA_URL names; WA_SIMULATOR=embedded aims the"
                                + " engine at a simulator inside the running service instead. Unset WA_SIMULATOR, or use"
                                + " GET /diagnostics/whatsapp of the running service.");
            }
        };
    }

    private static String rootMessage(Throwable e) {
        Throwable c = e;
        while (c.getCause() != null && c.getCause() != c) {
            c = c.getCause();
        }
        return c.getMessage() == null ? c.getClass().getSimpleName() : c.getMessage();
    }

    /**
     * Only what the doctor needs: storage (for the version cache), the native engine's settings, the doctor.
     * Not a {@code @Configuration}, so the service's component scan leaves it alone.
     */
    @EnableConfigurationProperties(StorageProperties.class)
    @Import({NativeEngineConfiguration.class, WhatsAppDoctor.class})
    static class DoctorConfiguration {}
}
