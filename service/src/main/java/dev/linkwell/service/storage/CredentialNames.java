package dev.linkwell.service.storage;

import dev.linkwell.client.SessionIds;
import java.util.regex.Pattern;

/** The {@link dev.linkwell.client.CredentialStore} rules for session ids and blob names, checked by every backend. */
public final class CredentialNames {

    private static final Pattern BLOB_NAME = Pattern.compile("[A-Za-z0-9_-][A-Za-z0-9._-]{0,127}");

    private CredentialNames() {}

    public static String requireSessionId(String sessionId) {
        if (!SessionIds.isValid(sessionId)) {
            throw new IllegalArgumentException("invalid session id");
        }
        return sessionId;
    }

    public static String requireBlobName(String name) {
        if (name == null || !BLOB_NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("invalid credential name");
        }
        return name;
    }
}
