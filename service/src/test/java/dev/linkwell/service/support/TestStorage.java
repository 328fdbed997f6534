package dev.linkwell.service.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/** Helpers to look at a storage root from the outside. */
public final class TestStorage {

    private TestStorage() {}

    /** A fresh folder under {@code target/test-storage}, so {@code mvn clean} removes it. */
    public static Path tempRoot(String prefix) {
        try {
            return Files.createTempDirectory(Files.createDirectories(Path.of("target", "test-storage")), prefix);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Every file and folder under {@code dir} with its size and modification time, to compare before and after. */
    public static Map<String, String> snapshot(Path dir) {
        Map<String, String> files = new TreeMap<>();
        if (!Files.exists(dir)) {
            return files;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.forEach(p -> {
                try {
                    files.put(dir.relativize(p).toString(), Files.size(p) + "@" + Files.getLastModifiedTime(p));
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return files;
    }
}
