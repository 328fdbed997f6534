package dev.linkwell.service.storage.postgres;

import dev.linkwell.service.storage.StorageException;
import java.sql.Connection;
import java.sql.SQLException;
import javax.sql.DataSource;

/** Runs a unit of work on a pooled connection, in a transaction when asked; SQL errors become {@link StorageException}. */
final class Jdbc {

    @FunctionalInterface
    interface Work<T> {
        T run(Connection connection) throws SQLException;
    }

    private final DataSource dataSource;

    Jdbc(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** One statement or several, each committed on its own. */
    <T> T run(String what, Work<T> work) {
        try (Connection c = dataSource.getConnection()) {
            return work.run(c);
        } catch (SQLException e) {
            throw new StorageException("cannot " + what + ": " + e.getMessage(), e);
        }
    }

    /** All or nothing, and only while this node holds the session's lease ({@link Fence#hold}). */
    <T> T fenced(String what, Fence fence, String sessionId, Work<T> work) {
        fence.require(sessionId);
        return inTransaction(what, c -> {
            fence.hold(c, sessionId);
            return work.run(c);
        });
    }

    /** All or nothing. */
    <T> T inTransaction(String what, Work<T> work) {
        return run(what, c -> {
            c.setAutoCommit(false);
            try {
                T result = work.run(c);
                c.commit();
                return result;
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(true);
            }
        });
    }
}
