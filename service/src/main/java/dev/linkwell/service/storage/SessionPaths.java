package dev.linkwell.service.storage;

import dev.linkwell.client.SessionIds;
import java.nio.file.Path;

/**
 * Maps session ids to folders under {@code <root>/sessions/}. Checks the id again and checks that
 * the normalized result is a direct child of the sessions folder, so no id can reach outside the
 * root even if validation at the edge were bypassed.
 */
final class SessionPaths {

    private final Path sessions;

    SessionPaths(Path root) {
        this.sessions = root.toAbsolutePath().normalize().resolve("sessions");
    }

    Path sessionsDir() {
        return sessions;
    }

    Path sessionDir(String sessionId) {
        Path dir = sessions.resolve(CredentialNames.requireSessionId(sessionId)).normalize();
        if (!sessions.equals(dir.getParent())) {
            throw new IllegalArgumentException("session id escapes the storage root");
        }
        return dir;
    }

    Path credentialsDir(String sessionId) {
        return sessionDir(sessionId).resolve("creds");
    }

    Path blob(String sessionId, String name) {
        Path dir = credentialsDir(sessionId);
        Path file = dir.resolve(CredentialNames.requireBlobName(name)).normalize();
        if (!dir.equals(file.getParent())) {
            throw new IllegalArgumentException("credential name escapes the session folder");
        }
        return file;
    }

    static boolean isSessionId(String name) {
        return SessionIds.isValid(name);
    }
}
