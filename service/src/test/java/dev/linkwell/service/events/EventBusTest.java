package dev.linkwell.service.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class EventBusTest {

    private final EventBus bus = new EventBus(new EventProperties(3, Duration.ofSeconds(15)),
        Clock.fixed(Instant.parse("2026-11-25T10:00:00Z"), ZoneOffset.UTC));

    @Test
    void deliversInPublishOrderWithGrowingIdsToMatchingSubscribers() {
        List<SessionEvent> all = new ArrayList<>();
        List<SessionEvent> qrOfA = new ArrayList<>();
        bus.subscribe(EventFilter.ALL, null, all::add);
        bus.subscribe(new EventFilter(Set.of("a"), Set.of(EventType.QR)), null, qrOfA::add);

        bus.publish("a", EventType.STATUS, Map.of("status", "starting"));
        bus.publish("a", EventType.QR, Map.of("qr", "1"));
        bus.publish("b", EventType.QR, Map.of("qr", "2"));

        assertThat(all).extracting(SessionEvent::type).containsExactly(EventType.STATUS, EventType.QR, EventType.QR);
        assertThat(all.get(1).sequence()).isGreaterThan(all.get(0).sequence());
        assertThat(all.get(2).sequence()).isGreaterThan(all.get(1).sequence());
        assertThat(all.getFirst().sequence()).as("ids are seeded from the clock").isGreaterThan(1_700_000_000_000_000L);
        assertThat(qrOfA).singleElement().satisfies(e -> assertThat(e.data()).containsEntry("qr", "1"));
    }

    @Test
    void replaysFromTheBoundedBufferAfterLastEventId() {
        List<SessionEvent> published = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            published.add(bus.publish("a", EventType.QR, Map.of("qr", "" + i)));
        }
        List<SessionEvent> replayed = new ArrayList<>();

        bus.subscribe(EventFilter.ALL, published.get(2).sequence(), replayed::add);
        SessionEvent live = bus.publish("a", EventType.QR, Map.of("qr", "live"));

        assertThat(replayed).containsExactly(published.get(3), published.get(4), live);
        List<SessionEvent> fromStart = new ArrayList<>();
        bus.subscribe(EventFilter.ALL, 0L, fromStart::add);
        assertThat(fromStart).as("only the last 3 are kept").hasSize(3);
    }

    @Test
    void closedSubscriptionsGetNothing() {
        List<SessionEvent> got = new ArrayList<>();
        EventBus.Subscription subscription = bus.subscribe(EventFilter.ALL, null, got::add);
        subscription.close();
        bus.publish("a", EventType.QR, Map.of("qr", "x"));
        assertThat(got).isEmpty();
    }

    @Test
    void filtersParseRepeatedAndCommaSeparatedValuesAndRejectBadOnes() {
        EventFilter filter = EventFilter.parse(List.of("a,b", "c"), List.of("session.qr,session.status", "session.closed"));
        assertThat(filter.sessionIds()).containsExactlyInAnyOrder("a", "b", "c");
        assertThat(filter.types()).containsExactlyInAnyOrder(EventType.QR, EventType.STATUS, EventType.CLOSED);

        assertThatThrownBy(() -> EventFilter.parse(List.of("../x"), List.of())).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> EventFilter.parse(List.of(), List.of("qr"))).hasMessageContaining("unknown event type 'qr'");
    }
}
