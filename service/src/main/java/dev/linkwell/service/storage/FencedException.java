package dev.linkwell.service.storage;

/**
 * A write of a session that this node no longer owns: its lease expired or went to another node (on PostgreSQL,
 * with several nodes). Nothing was written.
 */
public class FencedException extends StorageException {

    public FencedException(String sessionId) {
        super(
                "session '" + sessionId + "' is no longer this node's (its lease went to another node or expired);"
                        + " nothing was written",
                null);
    }
}
