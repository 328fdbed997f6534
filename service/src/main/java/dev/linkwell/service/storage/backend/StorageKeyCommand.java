package dev.linkwell.service.storage.backend;

import dev.linkwell.service.storage.FileCredentialStore;
import dev.linkwell.service.storage.StorageLock;
import dev.linkwell.service.storage.StorageProperties;
import dev.linkwell.service.storage.StorageRoot;
import dev.linkwell.service.storage.crypto.CredentialBackend;
import dev.linkwell.service.storage.crypto.KeyRotation;
import dev.linkwell.service.storage.crypto.KeyUsage;
import dev.linkwell.service.storage.crypto.Keyring;
import dev.linkwell.service.storage.crypto.StorageKey;
import dev.linkwell.service.storage.postgres.Fence;
import dev.linkwell.service.storage.postgres.PostgresCredentialStore;
import dev.linkwell.service.storage.postgres.PostgresDatabase;
import java.io.PrintStream;
import java.util.Arrays;
import java.util.Map;
import org.springframework.boot.Banner;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * {@code java -jar linkwell-service.jar --rotate-storage-key}: brings every credential record under
 * {@code STORAGE_KEY}: records sealed with {@code STORAGE_OLD_KEY} are rewrapped, plain ones (written before a
 * key was set) are sealed. Reads the same configuration as the service (environment, {@code .env},
 * {@code --property=value} arguments) and takes the storage's lock (the storage root's lock file, or the
 * database's rotation lock, exclusively), so it refuses to run beside a running service. Resumable and idempotent (see
 * {@link KeyRotation}). Exit status: 0 every record is under the new key, 1 some records were left (run it
 * again), 2 stopped: refused before the first record (settings unusable, a key missing or wrong, the store in
 * use) or at a record that does not decrypt; the message says which.
 */
public final class StorageKeyCommand {

    public static final String FLAG = "--rotate-storage-key";

    private StorageKeyCommand() {}

    public static boolean requested(String[] args) {
        return Arrays.asList(args).contains(FLAG);
    }

    public static int run(String[] args, PrintStream out, PrintStream err) {
        String[] settings = Arrays.stream(args).filter(a -> !a.equals(FLAG)).toArray(String[]::new);
        SpringApplication app = new SpringApplication(CommandConfiguration.class);
        app.setWebApplicationType(WebApplicationType.NONE);
        app.setBannerMode(Banner.Mode.OFF);
        app.setLogStartupInfo(false);
        app.setRegisterShutdownHook(false);
        app.setDefaultProperties(Map.of(
                "logging.level.root",
                "warn",
                "logging.level.dev.linkwell.service.storage.crypto.KeyRotation",
                "info",
                "logging.level.org.springframework.boot.SpringApplication",
                "off"));
        try (ConfigurableApplicationContext context = app.run(settings)) {
            StorageProperties properties = context.getBean(StorageProperties.class);
            Keyring keys =
                    Keyring.load(properties.key(), properties.keyFile(), properties.oldKey(), properties.oldKeyFile());
            return rotate(properties, keys, out);
        } catch (RuntimeException e) {
            err.println(
                    "linkwell " + FLAG + ": stopped: " + rootMessage(e) + "\nRecords this run already moved to the new"
                            + " key stay readable with it; nothing else was changed.");
            return 2;
        }
    }

    private static int rotate(StorageProperties properties, Keyring keys, PrintStream out) {
        if (properties.postgres()) {
            try (PostgresDatabase database = PostgresDatabase.openExclusive(properties.database())) {
                return rotate(new PostgresCredentialStore(database, Fence.NONE), keys, out);
            }
        }
        StorageRoot root = new StorageRoot(properties.root());
        try (StorageLock lock = StorageLock.acquire(root)) {
            return rotate(new FileCredentialStore(root.path()), keys, out);
        }
    }

    private static int rotate(CredentialBackend backend, Keyring keys, PrintStream out) {
        out.println("Linkwell storage key rotation: " + backend.describe());
        out.println("  new key: " + keys.current().map(StorageKey::toString).orElse("none (set STORAGE_KEY)"));
        KeyRotation.Result result = new KeyRotation(backend, keys).run();
        out.printf(
                "  rewrapped %d records from the old key, encrypted %d plain records, %d already under the new key%n",
                result.rewrapped(), result.sealed(), result.current());
        String target = keys.currentId().orElseThrow();
        KeyUsage after = backend.keyUsage();
        long left = after.plain()
                + after.sealed().entrySet().stream()
                        .filter(e -> !e.getKey().equals(target))
                        .mapToLong(Map.Entry::getValue)
                        .sum();
        if (left > 0) {
            out.printf(
                    "Not done: %d records are not under key %s yet (%d changed during the run); run the command again.%n",
                    left, target, result.changedMeanwhile());
            return 1;
        }
        out.printf(
                "Done: every credential record (%d) is under key %s. Start the service with this STORAGE_KEY;"
                        + " STORAGE_OLD_KEY is no longer needed.%n",
                after.sealed().getOrDefault(target, 0L), target);
        return 0;
    }

    /** Our own refusals are IllegalStateExceptions that say it all; for anything else the root cause does. */
    private static String rootMessage(Throwable e) {
        Throwable c = e;
        while (!(c instanceof IllegalStateException) && c.getCause() != null && c.getCause() != c) {
            c = c.getCause();
        }
        return c.getMessage() == null ? c.getClass().getSimpleName() : c.getMessage();
    }

    /** Only the storage settings; not a {@code @Configuration}, so the service's component scan leaves it alone. */
    @EnableConfigurationProperties(StorageProperties.class)
    static class CommandConfiguration {}
}
