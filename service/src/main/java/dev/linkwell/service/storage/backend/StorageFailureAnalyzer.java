package dev.linkwell.service.storage.backend;

import dev.linkwell.service.storage.crypto.StorageKeyException;
import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * Turns a refused storage key into Spring Boot's short "APPLICATION FAILED TO START" report: what is wrong
 * and what to set, instead of a stack trace of bean creation.
 */
public class StorageFailureAnalyzer extends AbstractFailureAnalyzer<StorageKeyException> {

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, StorageKeyException cause) {
        return new FailureAnalysis(
                cause.getMessage(),
                "Set STORAGE_KEY (or STORAGE_KEY_FILE) to the key the credentials were written with; during a key rotation"
                        + " also set STORAGE_OLD_KEY. See docs/storage.md, \"Encryption at rest\".",
                cause);
    }
}
