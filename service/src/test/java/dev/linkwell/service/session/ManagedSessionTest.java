package dev.linkwell.service.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.linkwell.client.Disconnect;
import dev.linkwell.client.DisconnectReason;
import dev.linkwell.service.events.EventData;
import dev.linkwell.service.session.Decision.Disown;
import dev.linkwell.service.session.Decision.Enter;
import dev.linkwell.service.session.Decision.Forget;
import dev.linkwell.service.session.Decision.Open;
import dev.linkwell.service.session.Decision.Publish;
import dev.linkwell.service.session.Decision.Purge;
import dev.linkwell.service.session.Decision.Reconnect;
import dev.linkwell.service.session.Decision.Release;
import dev.linkwell.service.session.Decision.Save;
import dev.linkwell.service.session.Decision.Step;
import dev.linkwell.service.storage.StoredSession;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.Test;

/** The state machine on its own: each transition is data in, a decision out; nothing here does I/O. */
class ManagedSessionTest {

    private static final Instant NOW = Instant.parse("2026-11-30T10:00:00Z");
    private static final Backoff BACKOFF =
            new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(60), RandomGenerator.of("L64X128MixRandom"));

    private final StoredSession wanted = new StoredSession("s1", "native", null, "file", true, NOW);

    /** A session that ran {@code decision}'s Enter steps, as the service would. */
    private static void enterAll(ManagedSession session, Decision decision) {
        decision.steps().stream()
                .filter(Enter.class::isInstance)
                .map(Enter.class::cast)
                .forEach(e -> session.enter(e.state()));
    }

    private ManagedSession started() {
        ManagedSession session =
                new ManagedSession("s1", SessionState.known(wanted.withDesiredRunning(false, NOW), true));
        enterAll(session, session.ensure(wanted, false, false, NOW));
        return session;
    }

    @Test
    void aFirstPutStoresBeforeItEntersPublishesAndOpensAndIsForgottenIfTheWriteFails() {
        ManagedSession fresh =
                new ManagedSession("s1", SessionState.known(wanted.withDesiredRunning(false, NOW), false));

        Decision decision = fresh.ensure(wanted, false, false, NOW);

        List<Step> steps = decision.steps();
        assertThat(steps).hasSize(4);
        assertThat(steps.get(0)).isEqualTo(new Save(wanted));
        assertThat(steps.get(1))
                .isInstanceOfSatisfying(
                        Enter.class, e -> assertThat(e.state().status()).isEqualTo(SessionStatus.STARTING));
        assertThat(steps.get(2)).isEqualTo(new Publish(new EventData.Starting("native")));
        assertThat(steps.get(3)).isInstanceOf(Open.class);
        assertThat(decision.ifWriteFails()).containsExactly(new Forget(), new Disown());
        assertThat(fresh.state().status()).as("deciding changes nothing").isEqualTo(SessionStatus.CLOSED);
    }

    @Test
    void reportsOfASocketThatIsNotTheSessionsAreIgnored() {
        ManagedSession session = started();
        SocketToken stranger = new SocketToken("native");

        assertThat(session.onQr(stranger, "2@x", NOW).isNone()).isTrue();
        assertThat(session.onOpen(stranger, null, NOW).isNone()).isTrue();
        assertThat(session.onDisconnect(stranger, Disconnect.of(DisconnectReason.LOGGED_OUT, "x"), BACKOFF, NOW)
                        .isNone())
                .isTrue();
        assertThat(session.onQr(session.state().socket(), "2@x", NOW).steps())
                .contains(new Publish(new EventData.Qr("2@x")));
    }

    @Test
    void aDropPlansAReconnectForThatSocketAndOnlyThatSocketMayTriggerIt() {
        ManagedSession session = started();
        SocketToken socket = session.state().socket();

        Decision drop =
                session.onDisconnect(socket, Disconnect.of(DisconnectReason.CONNECTION_CLOSED, "gone"), BACKOFF, NOW);
        enterAll(session, drop);

        assertThat(drop.steps()).last().isInstanceOfSatisfying(Reconnect.class, r -> {
            assertThat(r.token()).isSameAs(socket);
            assertThat(r.delay()).isBetween(Duration.ofMillis(500), Duration.ofSeconds(1));
        });
        assertThat(session.state().attempt()).isEqualTo(1);
        assertThat(session.onQr(socket, "late", NOW).isNone())
                .as("a dropped socket reports nothing more")
                .isTrue();
        assertThat(session.reconnect(new SocketToken("native"), NOW).isNone()).isTrue();
        assertThat(session.reconnect(socket, NOW).steps()).last().isInstanceOf(Open.class);
    }

    @Test
    void aCloseStoresFirstAndReleasesTheSocketLast() {
        ManagedSession session = started();
        SocketToken socket = session.state().socket();

        Decision close = session.close(NOW);

        assertThat(close.steps().getFirst()).isEqualTo(new Save(wanted.withDesiredRunning(false, NOW)));
        assertThat(close.steps().getLast()).isEqualTo(new Release(socket, false));
        assertThat(close.ifWriteFails())
                .as("nothing changes when the write fails")
                .isEmpty();
    }

    @Test
    void aLogoutWhosePurgeFailsEndsClosedPurgeFailedAndTheNextPutPurgesFirst() {
        ManagedSession session = started();

        Decision remove = session.remove(NOW);
        assertThat(remove.steps()).contains(new Purge(), new Publish(EventData.Removed.by("user")));
        for (Step step : remove.ifWriteFails()) {
            if (step instanceof Enter enter) {
                session.enter(enter.state());
            }
        }

        assertThat(session.state().status()).isEqualTo(SessionStatus.CLOSED);
        assertThat(session.state().reason()).isEqualTo("purge_failed");
        assertThat(session.ensure(wanted, false, false, NOW).steps()).startsWith(new Purge(), new Save(wanted));
    }

    @Test
    void aServerStopWhoseWriteFailsIsClosedWithTheStoredStateUnchanged() {
        ManagedSession session = started();

        Decision stop = session.onDisconnect(
                session.state().socket(), Disconnect.of(DisconnectReason.REPLACED, "taken"), BACKOFF, NOW);

        assertThat(stop.ifWriteFails()).first().isInstanceOfSatisfying(Enter.class, e -> {
            assertThat(e.state().status()).isEqualTo(SessionStatus.CLOSED);
            assertThat(e.state().stored().desiredRunning()).isTrue();
        });
    }

    @Test
    void aRunningSessionOnAnotherProviderIsAConflict() {
        ManagedSession session = started();
        StoredSession other = new StoredSession("s1", "baileys", null, "file", true, NOW);

        assertThatThrownBy(() -> session.ensure(other, true, false, NOW))
                .isInstanceOfSatisfying(
                        SessionException.class, e -> assertThat(e.kind()).isEqualTo(SessionException.Kind.CONFLICT));
        assertThat(session.ensure(wanted, false, false, NOW).isNone())
                .as("a running session keeps running")
                .isTrue();
    }

    @Test
    void aSessionWhoseLeaseWentElsewhereClosesItsSocketAndLeavesWritingAndPublishingNothing() {
        ManagedSession session = started();
        SocketToken socket = session.state().socket();

        List<Step> steps = session.fenced(NOW).steps();

        assertThat(steps).hasSize(3);
        assertThat(steps.get(0)).isInstanceOfSatisfying(Enter.class, e -> {
            assertThat(e.state().status()).isEqualTo(SessionStatus.CLOSED);
            assertThat(e.state().reason()).isEqualTo("moved");
        });
        assertThat(steps.subList(1, 3)).containsExactly(new Release(socket, false), new Forget());
        assertThat(steps)
                .noneMatch(s -> s instanceof Save || s instanceof Purge || s instanceof Publish || s instanceof Disown);
    }

    @Test
    void onlyAnOpenSessionIsHandedOverItsSocketDrainsAndItsLeaseGoesOnceTheSocketReportedItsEnd() {
        ManagedSession session = started();
        assertThat(session.handOver(NOW).isNone())
                .as("still connecting: a QR may be on screen")
                .isTrue();
        enterAll(session, session.onOpen(session.state().socket(), "1@s.whatsapp.net", NOW));
        SocketToken socket = session.state().socket();

        Decision handOver = session.handOver(NOW);
        assertThat(handOver.steps()).hasSize(2).endsWith(new Release(socket, false));
        enterAll(session, handOver);
        assertThat(session.state().status()).isEqualTo(SessionStatus.CLOSED);
        assertThat(session.state().reason()).isEqualTo("handed_over");

        EventData.Message late = new EventData.Message(java.util.Map.of("text", "taken before the close"));
        assertThat(session.onMessage(socket, late).steps())
                .as("acked by the closing socket: still published")
                .containsExactly(new Publish(late));
        assertThat(session.onOpen(socket, null, NOW).isNone()).isTrue();
        List<Step> end = session.onDisconnect(
                        socket, Disconnect.of(DisconnectReason.USER_CLOSED, "closed"), BACKOFF, NOW)
                .steps();
        assertThat(end).hasSize(3).endsWith(new Forget(), new Disown());
        enterAll(session, new Decision(end, List.of()));
        assertThat(session.state().socket()).isNull();
        assertThat(session.onMessage(socket, late).isNone()).as("after its end").isTrue();
    }

    @Test
    void aShutdownDrainsAnOpenSocketAndKeepsTheSession() {
        ManagedSession session = started();
        assertThat(session.shutdown(NOW).steps())
                .as("not open: closed at once")
                .first()
                .isInstanceOfSatisfying(
                        Enter.class, e -> assertThat(e.state().socket()).isNull());
        enterAll(session, session.onOpen(session.state().socket(), null, NOW));
        SocketToken socket = session.state().socket();

        enterAll(session, session.shutdown(NOW));
        assertThat(session.shutdown(NOW).isNone()).as("closing already").isTrue();
        assertThat(session.drained(NOW).steps()).singleElement().isInstanceOfSatisfying(Enter.class, e -> {
            assertThat(e.state().reason()).isEqualTo("shutdown");
            assertThat(e.state().stored().desiredRunning())
                    .as("restored by the next start")
                    .isTrue();
        });
        assertThat(session.onDisconnect(socket, Disconnect.of(DisconnectReason.USER_CLOSED, "closed"), BACKOFF, NOW)
                        .steps())
                .doesNotContain(new Forget(), new Disown());
    }
}
