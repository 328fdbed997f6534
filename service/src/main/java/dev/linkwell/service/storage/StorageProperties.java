package dev.linkwell.service.storage;

import java.nio.file.Path;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/** {@code linkwell.storage.*}: where sessions live on disk ({@code STORAGE_ROOT}). */
@ConfigurationProperties("linkwell.storage")
public record StorageProperties(@DefaultValue("./storage") Path root) {
}
