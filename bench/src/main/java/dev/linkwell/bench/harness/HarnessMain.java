package dev.linkwell.bench.harness;

import java.util.Arrays;
import java.util.function.Function;

/** What a harness's {@code main} does around its run: usage on --help, parse, exit 2 on bad arguments, 1 on failure. */
public final class HarnessMain {

    private HarnessMain() {}

    /** One run of a harness with its options; returns the exit status. */
    public interface Run<O> {
        int run(O options) throws Exception;
    }

    /** Parses {@code args}, runs, and exits with the run's status (never returns); {@code --help} prints the usage. */
    public static <O> void exit(String[] args, Function<String[], O> parse, String usage, Run<O> run) {
        if (Arrays.asList(args).contains("--help") || Arrays.asList(args).contains("-h")) {
            System.out.println(usage);
            System.exit(0);
            return;
        }
        O options;
        try {
            options = parse.apply(args);
        } catch (IllegalArgumentException e) {
            System.err.println("error: " + e.getMessage());
            System.err.println(usage);
            System.exit(2);
            return;
        }
        int status;
        try {
            status = run.run(options);
        } catch (Throwable t) {
            System.err.println("FAILED: " + t);
            t.printStackTrace();
            status = 1;
        }
        System.out.flush();
        System.exit(status);
    }
}
