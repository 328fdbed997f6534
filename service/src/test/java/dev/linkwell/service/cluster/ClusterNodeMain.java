package dev.linkwell.service.cluster;

import dev.linkwell.service.LinkwellApplication;
import org.springframework.boot.SpringApplication;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Run in a child JVM by {@link ClusterNode}: the whole service, as {@code java -jar} runs it, with the arguments it
 * is given; prints {@code PORT <n>} once it listens. It runs until it is stopped (SIGTERM: a clean shutdown) or
 * killed.
 */
public final class ClusterNodeMain {

    static final String PORT = "PORT ";

    private ClusterNodeMain() {}

    public static void main(String[] args) {
        ConfigurableApplicationContext context = SpringApplication.run(LinkwellApplication.class, args);
        System.out.println(PORT + context.getEnvironment().getProperty("local.server.port"));
        System.out.flush();
    }
}
