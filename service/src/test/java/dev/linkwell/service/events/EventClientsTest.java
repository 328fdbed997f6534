package dev.linkwell.service.events;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

class EventClientsTest {

    private final EventBus bus = new EventBus(new EventProperties(10, Duration.ofMillis(50)), Clock.systemUTC());
    private final EventClients clients = new EventClients(bus, new EventProperties(10, Duration.ofMillis(50)));

    /** Records what a transport would write. */
    private static final class RecordingSender implements EventPump.Sender {
        final List<StreamItem> sent = new CopyOnWriteArrayList<>();
        final CountDownLatch heartbeat = new CountDownLatch(1);
        final CountDownLatch closed = new CountDownLatch(1);

        @Override
        public void send(StreamItem event) {
            sent.add(event);
        }

        @Override
        public void heartbeat() {
            heartbeat.countDown();
        }

        @Override
        public void close() {
            closed.countDown();
        }
    }

    @Test
    void sendsReplayThenLiveEventsAndHeartbeatsWhenIdle() throws Exception {
        SessionEvent missed = bus.publish("a", new EventData.Qr("1"));
        SessionEvent second = bus.publish("a", new EventData.Qr("0"));
        RecordingSender sender = new RecordingSender();

        clients.connect(EventFilter.ALL, missed.sequence() - 1, "test", sender);
        SessionEvent live = bus.publish("a", new EventData.Qr("2"));

        assertThat(sender.heartbeat.await(5, TimeUnit.SECONDS)).isTrue();
        assertThat(sender.sent).containsExactly(missed, second, live);
    }

    @Test
    void stoppingClosesEveryClientAndUnsubscribesIt() throws Exception {
        RecordingSender sender = new RecordingSender();
        clients.start();
        clients.connect(EventFilter.ALL, null, "test", sender);

        clients.stop();

        assertThat(sender.closed.await(5, TimeUnit.SECONDS)).isTrue();
        bus.publish("a", new EventData.Qr("late"));
        Awaitility.await()
                .during(Duration.ofMillis(100))
                .atMost(Duration.ofSeconds(2))
                .until(sender.sent::isEmpty);
        assertThat(sender.sent).isEmpty();
        assertThat(clients.isRunning()).isFalse();
    }
}
