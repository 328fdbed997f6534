package dev.linkwell.simulator;

import dev.linkwell.protocol.version.WaVersion;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;

/**
 * {@code java -jar linkwell-simulator.jar [--port 0] [--admin-port 0] [--host 127.0.0.1] [--state-dir DIR]
 * [--first-ref-seconds 60] [--next-ref-seconds 20] [--min-version 2.3000.1043857760]}: runs the simulator and
 * its admin API until killed.
 */
public final class Main {

    private Main() {}

    public static void main(String[] args) throws InterruptedException {
        int port = 0;
        int adminPort = 0;
        String host = "127.0.0.1";
        Path stateDir = null;
        SimulatorConfig config = SimulatorConfig.defaults();
        long firstRef = config.firstRefTimeout().toSeconds();
        long nextRef = config.nextRefTimeout().toSeconds();
        WaVersion minVersion = config.minVersion();
        try {
            for (int i = 0; i < args.length; i++) {
                String a = args[i];
                switch (a) {
                    case "--port" -> port = Integer.parseInt(value(args, ++i, a));
                    case "--admin-port" -> adminPort = Integer.parseInt(value(args, ++i, a));
                    case "--host" -> host = value(args, ++i, a);
                    case "--state-dir" -> stateDir = Path.of(value(args, ++i, a));
                    case "--first-ref-seconds" -> firstRef = Long.parseLong(value(args, ++i, a));
                    case "--next-ref-seconds" -> nextRef = Long.parseLong(value(args, ++i, a));
                    case "--min-version" -> minVersion = WaVersion.parse(value(args, ++i, a));
                    case "--help", "-h" -> {
                        usage();
                        return;
                    }
                    default -> throw new IllegalArgumentException("unknown option " + a);
                }
            }
            config = config.withPort(port)
                    .withHost(host)
                    .withQrRefTimeouts(Duration.ofSeconds(firstRef), Duration.ofSeconds(nextRef))
                    .withMinVersion(minVersion);
        } catch (IllegalArgumentException e) {
            System.err.println("error: " + e.getMessage());
            usage();
            System.exit(2);
            return;
        }
        WaSimulator sim = WaSimulator.start(config, stateDir);
        AdminHttpServer admin = AdminHttpServer.start(new AdminApi(sim), host, adminPort);
        CountDownLatch stop = new CountDownLatch(1);
        Runtime.getRuntime()
                .addShutdownHook(new Thread(
                        () -> {
                            admin.close();
                            sim.close();
                            stop.countDown();
                        },
                        "simulator-shutdown"));
        System.out.println("Linkwell WhatsApp simulator");
        System.out.println("WebSocket URL: " + sim.webSocketUrl());
        System.out.println("Admin API:     " + admin.url());
        System.out.println("Trust anchor:  " + sim.trustAnchor().hex());
        System.out.println("Min version:   " + config.minVersion());
        if (stateDir != null) {
            System.out.println("State:         " + stateDir.toAbsolutePath().resolve(StateStore.FILE_NAME));
        }
        System.out.flush();
        stop.await();
    }

    private static String value(String[] args, int i, String option) {
        if (i >= args.length) {
            throw new IllegalArgumentException(option + " needs a value");
        }
        return args[i];
    }

    private static void usage() {
        System.err.println("usage: java -jar linkwell-simulator.jar [--port N] [--admin-port N] [--host ADDR]"
                + " [--state-dir DIR] [--first-ref-seconds N] [--next-ref-seconds N] [--min-version X.Y.Z]");
    }
}
