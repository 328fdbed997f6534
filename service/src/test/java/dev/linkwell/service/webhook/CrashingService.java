package dev.linkwell.service.webhook;

import dev.linkwell.service.LinkwellApplication;
import dev.linkwell.service.session.SessionService;
import dev.linkwell.service.session.StartOptions;
import dev.linkwell.service.support.ScriptedEngine;
import dev.linkwell.service.support.ScriptedEngineConfiguration;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;
import org.springframework.boot.Banner;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Run in a child JVM by {@link WebhookCrashTest}: the whole service with the scripted engine and a
 * global webhook. In {@code produce} mode it starts three sessions and makes their sockets relay
 * message {@code n = 1, 2, ...} as fast as it can, printing {@code N <n>} once the bus accepted it
 * (publish returned). In {@code drain} mode it only runs, so the outbox is sent. The test kills it
 * with SIGKILL.
 */
public final class CrashingService {

    static final String[] SESSIONS = {"crash-a", "crash-b", "crash-c"};
    static final String READY = "READY";
    static final String ACCEPTED = "N ";

    private CrashingService() {}

    public static void main(String[] args) {
        String root = args[0];
        String url = args[1];
        boolean produce = args[2].equals("produce");
        ConfigurableApplicationContext context = new SpringApplicationBuilder(
                        LinkwellApplication.class, ScriptedEngineConfiguration.class)
                .bannerMode(Banner.Mode.OFF)
                .run(
                        "--server.port=0",
                        "--linkwell.storage.root=" + root,
                        "--linkwell.webhooks.urls=" + url,
                        "--linkwell.webhooks.secret=" + WebhookCrashTest.SECRET,
                        "--linkwell.webhooks.backoff-base=10ms",
                        "--linkwell.webhooks.backoff-cap=50ms",
                        "--linkwell.webhooks.timeout=2s",
                        "--linkwell.webhooks.max-attempts=100000",
                        "--linkwell.sessions.default-provider=scripted",
                        "--linkwell.sessions.start-wait=2s",
                        "--logging.level.root=WARN");
        if (produce) {
            SessionService sessions = context.getBean(SessionService.class);
            ScriptedEngine engine = context.getBean(ScriptedEngine.class);
            for (String id : SESSIONS) {
                sessions.ensure(id, StartOptions.DEFAULTS);
            }
            System.out.println(READY);
            for (long n = 1; ; n++) {
                engine.latest(SESSIONS[(int) (n % SESSIONS.length)]).message(Map.of("n", n));
                System.out.println(ACCEPTED + n);
                System.out.flush();
            }
        }
        System.out.println(READY);
        System.out.flush();
        while (true) {
            LockSupport.park(); // the dispatcher works on its own threads until the test kills this process
        }
    }
}
