package dev.linkwell.service.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.Mockito.doThrow;
import static org.mockito.Mockito.reset;

import dev.linkwell.client.DisconnectReason;
import dev.linkwell.service.events.EventBus;
import dev.linkwell.service.events.EventType;
import dev.linkwell.service.storage.FileCredentialStore;
import dev.linkwell.service.storage.SessionStateStore;
import dev.linkwell.service.storage.StorageProperties;
import dev.linkwell.service.support.Api;
import dev.linkwell.service.support.EventRecorder;
import dev.linkwell.service.support.ScriptedEngine;
import dev.linkwell.service.support.ServiceTest;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.bean.override.mockito.MockitoSpyBean;

/**
 * The storage root stops taking writes (a read-only remount, a full disk) while sessions run. Every session
 * still tells the truth about itself, and PUT and DELETE work again once the storage does.
 *
 * <p>The tests run as root in CI, which file modes do not stop, so the real stores are made to fail as a
 * read-only file system makes them fail.
 */
@ServiceTest
class FailedStorageTest {

    private static final Duration WAIT = Duration.ofSeconds(5);

    @LocalServerPort
    int port;

    @Autowired
    ScriptedEngine engine;

    @Autowired
    EventBus bus;

    @Autowired
    StorageProperties storage;

    @MockitoSpyBean
    SessionStateStore states;

    @MockitoSpyBean
    FileCredentialStore credentials;

    Api api;

    @BeforeEach
    void setUp() {
        api = new Api(port);
    }

    private void storageRefusesWrites() {
        UncheckedIOException readOnly = new UncheckedIOException(
                "cannot write", new FileSystemException(storage.root().toString(), null, "Read-only file system"));
        doThrow(readOnly).when(states).save(any());
        doThrow(readOnly).when(states).delete(anyString());
        doThrow(readOnly).when(credentials).purge(anyString());
        doThrow(readOnly).when(credentials).write(anyString(), anyString(), any());
    }

    private void storageWritableAgain() {
        reset(states, credentials);
    }

    private String openSession(String id) {
        assertThat(api.put("/sessions/" + id).statusCode()).isEqualTo(200);
        engine.latest(id).open("51900000000@s.whatsapp.net");
        assertThat(Api.json(api.get("/sessions/" + id))).containsEntry("status", "ready");
        return id;
    }

    /** Bug: DELETE answered 500 and the session said ready/open with its socket closed; PUT then opened nothing. */
    @Test
    void aCloseTheStorageRefusesChangesNothingAndWorksLater() {
        String id = openSession("ro-close");
        storageRefusesWrites();

        HttpResponse<String> refused = api.delete("/sessions/" + id);

        assertThat(refused.statusCode()).isEqualTo(503);
        assertThat(refused.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        assertThat(Api.json(refused)).containsEntry("title", "Storage unavailable");
        assertThat((String) Api.json(refused).get("detail"))
                .contains("is ready")
                .contains("storage root refused a write")
                .doesNotContain(storage.root().toString());
        assertThat(Api.json(api.get("/sessions/" + id)))
                .containsEntry("status", "ready")
                .containsEntry("connection", "open");
        assertThat(engine.latest(id).isClosed())
                .as("the session still runs, as it says")
                .isFalse();

        storageWritableAgain();
        assertThat(Api.json(api.delete("/sessions/" + id))).containsEntry("status", "closed");
        assertThat(engine.latest(id).isClosed()).isTrue();
        assertThat(stateFile(id)).contains("\"desiredRunning\":false");
        assertThat(api.put("/sessions/" + id).statusCode()).isEqualTo(200);
        assertThat(engine.starts(id)).hasSize(2);
    }

    /** Bug: DELETE .../storage logged the device out but left its credentials and said ready. */
    @Test
    void aLogoutWhosePurgeFailsSaysSoAndAnotherDeletePurges() {
        String id = openSession("ro-purge");
        storageRefusesWrites();
        try (EventRecorder events = new EventRecorder(bus, id)) {
            HttpResponse<String> refused = api.delete("/sessions/" + id + "/storage");

            assertThat(refused.statusCode()).isEqualTo(503);
            assertThat(engine.latest(id).isLoggedOut()).isTrue();
            assertThat(Api.json(api.get("/sessions/" + id)))
                    .containsEntry("status", "closed")
                    .containsEntry("connection", "close")
                    .containsEntry("reason", "purge_failed");
            assertThat(events.await(EventType.CLOSED, WAIT).data()).containsEntry("reason", "purge_failed");
        }
        assertThat(sessionDir(id).resolve("creds/creds")).exists();

        storageWritableAgain();
        assertThat(Api.json(api.delete("/sessions/" + id + "/storage"))).containsEntry("status", "removed");
        assertThat(sessionDir(id)).doesNotExist();
    }

    @Test
    void aPutAfterAFailedPurgeDeletesTheDeadCredentialsFirst() {
        String id = openSession("ro-purge-put");
        storageRefusesWrites();
        assertThat(api.delete("/sessions/" + id + "/storage").statusCode()).isEqualTo(503);
        assertThat(api.put("/sessions/" + id).statusCode()).as("still refused").isEqualTo(503);
        assertThat(engine.starts(id)).hasSize(1);

        storageWritableAgain();
        HttpResponse<String> again = api.put("/sessions/" + id);

        assertThat(again.statusCode()).isEqualTo(200);
        assertThat(Api.json(again)).containsEntry("qr", "qr:" + id + ":2");
        assertThat(engine.starts(id).get(1).credentials())
                .as("a new login, not the logged-out credentials")
                .isEmpty();
    }

    /** The server logs the device out (401) while the storage refuses the purge. */
    @Test
    void aServerLogoutWhosePurgeFailsIsClosedAndPurgedByTheNextPut() {
        String id = openSession("ro-401");
        storageRefusesWrites();

        engine.latest(id).drop(DisconnectReason.LOGGED_OUT);

        assertThat(Api.json(api.get("/sessions/" + id)))
                .containsEntry("status", "closed")
                .containsEntry("reason", "purge_failed");
        storageWritableAgain();
        assertThat(api.put("/sessions/" + id).statusCode()).isEqualTo(200);
        assertThat(engine.starts(id).get(1).credentials()).isEmpty();
    }

    /** The server stops the session (440) while the storage refuses the write: closed, and a DELETE stores it later. */
    @Test
    void aServerStopWhoseWriteFailsIsClosedAndADeleteStoresItLater() {
        String id = openSession("ro-440");
        storageRefusesWrites();

        engine.latest(id).drop(DisconnectReason.REPLACED);

        assertThat(Api.json(api.get("/sessions/" + id)))
                .containsEntry("status", "closed")
                .containsEntry("reason", "replaced");
        assertThat(stateFile(id)).as("what is stored still says running").contains("\"desiredRunning\":true");
        storageWritableAgain();
        assertThat(Api.json(api.delete("/sessions/" + id))).containsEntry("status", "closed");
        assertThat(stateFile(id)).contains("\"desiredRunning\":false");
    }

    /** Bug 6: PUT answered 500 and left a phantom closed session in the list. */
    @Test
    void aPutTheStorageRefusesLeavesNoSessionBehind() {
        storageRefusesWrites();

        HttpResponse<String> refused = api.put("/sessions/ro-new");

        assertThat(refused.statusCode()).isEqualTo(503);
        assertThat(Api.json(refused)).containsEntry("title", "Storage unavailable");
        assertThat(api.get("/sessions/ro-new").statusCode()).isEqualTo(404);
        List<Map<String, Object>> all =
                Api.JSON_LIST_READER.apply(api.get("/sessions").body());
        assertThat(all).extracting(s -> s.get("sessionId")).doesNotContain("ro-new");
        assertThat(engine.starts("ro-new")).isEmpty();

        storageWritableAgain();
        assertThat(Api.json(api.put("/sessions/ro-new")))
                .containsEntry("status", "starting")
                .containsEntry("qr", "qr:ro-new:1");
    }

    private Path sessionDir(String id) {
        return storage.root().resolve("sessions").resolve(id);
    }

    private String stateFile(String id) {
        try {
            return Files.readString(sessionDir(id).resolve("session.json"));
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
    }
}
