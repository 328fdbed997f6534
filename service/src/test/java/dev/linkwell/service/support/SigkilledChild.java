package dev.linkwell.service.support;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.file.Path;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * Runs a writer in a child JVM (its {@code main} gets the storage root and prints the number of every step once the
 * step's writes returned), kills it with SIGKILL at a random moment after a random number of steps, often in the
 * middle of a write, and says which step it last confirmed, counting those it printed just before the kill. What a
 * reload then finds must be from that step or the next one, never torn.
 */
public final class SigkilledChild {

    private SigkilledChild() {}

    /**
     * @param killAfterMin the fewest steps before the kill (inclusive)
     * @param killAfterMax the most (exclusive)
     * @return the last step the child confirmed; at least the randomly chosen kill point
     */
    public static long run(Class<?> writer, Path root, int killAfterMin, int killAfterMax) throws Exception {
        String java = ProcessHandle.current().info().command().orElse("java");
        Process child = new ProcessBuilder(
                        java, "-cp", System.getProperty("java.class.path"), writer.getName(), root.toString())
                .redirectError(ProcessBuilder.Redirect.INHERIT)
                .start();
        long confirmed = 0;
        int killAfter = ThreadLocalRandom.current().nextInt(killAfterMin, killAfterMax);
        try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream()))) {
            String line;
            while ((line = out.readLine()) != null) {
                confirmed = Long.parseLong(line.strip());
                if (confirmed >= killAfter) {
                    break;
                }
            }
            // Let it get into the next write(s), then kill it somewhere inside.
            Thread.sleep(0, ThreadLocalRandom.current().nextInt(0, 999_999));
            // Through the handle, so the pipe stays open and the steps printed before the kill can be read.
            child.toHandle().destroyForcibly();
            if (!child.waitFor(10, TimeUnit.SECONDS)) {
                throw new AssertionError("the killed writer did not end");
            }
            while ((line = out.readLine()) != null) {
                confirmed = Long.parseLong(line.strip());
            }
        } finally {
            child.destroyForcibly();
        }
        if (confirmed < killAfter) {
            throw new AssertionError("the writer ended after " + confirmed + " steps, before the kill at " + killAfter);
        }
        return confirmed;
    }
}
