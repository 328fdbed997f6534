package dev.linkwell.service.storage;

import dev.linkwell.client.SessionIds;
import java.nio.file.Path;
import java.util.regex.Pattern;

/**
 * Maps session ids to folders under {@code <root>/sessions/}. Checks the id again and checks that
 * the normalized result is a direct child of the sessions folder, so no id can reach outside the
 * root even if validation at the edge were bypassed.
 */
final class SessionPaths {

    private static final Pattern BLOB_NAME = Pattern.compile("[A-Za-z0-9_-][A-Za-z0-9._-]{0,127}");

    private final Path sessions;

    SessionPaths(Path root) {
        this.sessions = root.toAbsolutePath().normalize().resolve("sessions");
    }

    Path sessionsDir() {
        return sessions;
    }

    Path sessionDir(String sessionId) {
        if (!SessionIds.isValid(sessionId)) {
            throw new IllegalArgumentException("invalid session id");
        }
        Path dir = sessions.resolve(sessionId).normalize();
        if (!sessions.equals(dir.getParent())) {
            throw new IllegalArgumentException("session id escapes the storage root");
        }
        return dir;
    }

    Path credentialsDir(String sessionId) {
        return sessionDir(sessionId).resolve("creds");
    }

    Path blob(String sessionId, String name) {
        if (name == null || !BLOB_NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("invalid credential name");
        }
        Path dir = credentialsDir(sessionId);
        Path file = dir.resolve(name).normalize();
        if (!dir.equals(file.getParent())) {
            throw new IllegalArgumentException("credential name escapes the session folder");
        }
        return file;
    }

    static boolean isSessionId(String name) {
        return SessionIds.isValid(name);
    }
}
