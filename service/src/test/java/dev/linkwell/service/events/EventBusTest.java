package dev.linkwell.service.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class EventBusTest {

    private final EventBus bus = new EventBus(
            new EventProperties(3, Duration.ofSeconds(15)),
            Clock.fixed(Instant.parse("2026-11-25T10:00:00Z"), ZoneOffset.UTC));

    @Test
    void deliversInPublishOrderWithGrowingIdsToMatchingSubscribers() {
        List<SessionEvent> all = new ArrayList<>();
        List<SessionEvent> qrOfA = new ArrayList<>();
        bus.subscribe(EventFilter.ALL, all::add);
        bus.subscribe(new EventFilter(Set.of("a"), Set.of(EventType.QR)), qrOfA::add);

        bus.publish("a", new EventData.Starting("native"));
        bus.publish("a", new EventData.Qr("1"));
        bus.publish("b", new EventData.Qr("2"));

        assertThat(all).extracting(SessionEvent::type).containsExactly(EventType.STATUS, EventType.QR, EventType.QR);
        assertThat(all.get(1).sequence()).isGreaterThan(all.get(0).sequence());
        assertThat(all.get(2).sequence()).isGreaterThan(all.get(1).sequence());
        assertThat(all.getFirst().sequence())
                .as("ids are seeded from the clock")
                .isGreaterThan(1_700_000_000_000_000L);
        assertThat(qrOfA).singleElement().satisfies(e -> assertThat(e.data()).isEqualTo(new EventData.Qr("1")));
    }

    @Test
    void replaysFromTheBoundedBufferAfterLastEventId() {
        List<SessionEvent> published = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            published.add(bus.publish("a", new EventData.Qr("" + i)));
        }
        List<SessionEvent> replayed = new ArrayList<>();

        bus.subscribe(EventFilter.ALL, published.get(2).sequence(), replayed::add, gap -> {});
        SessionEvent live = bus.publish("a", new EventData.Qr("live"));

        assertThat(replayed).containsExactly(published.get(3), published.get(4), live);
        List<SessionEvent> fromStart = new ArrayList<>();
        bus.subscribe(EventFilter.ALL, 0L, fromStart::add, gap -> {});
        assertThat(fromStart).as("only the last 3 are kept").hasSize(3);
    }

    @Test
    void aReplayThatLostEventsStartsWithAGapNamingTheOldestIdLeft() {
        List<SessionEvent> published = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            published.add(bus.publish("a", new EventData.Qr("" + i)));
        }
        List<Object> received = new ArrayList<>();

        bus.subscribe(EventFilter.ALL, published.get(0).sequence(), received::add, received::add);

        // 1 of the 4 events after the client's id was pushed out of the buffer of 3
        assertThat(received).hasSize(4);
        EventGap gap = (EventGap) received.getFirst();
        assertThat(gap.data())
                .isEqualTo(new EventGap.Data(
                        published.get(0).id(), published.get(2).id()));
        assertThat(gap.id())
                .as("resume after the last lost id")
                .isEqualTo(published.get(1).id());
        assertThat(received.subList(1, 4)).containsExactlyElementsOf(published.subList(2, 5));
    }

    @Test
    void noGapWhenEverythingAfterTheIdIsStillThere() {
        List<SessionEvent> published = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            published.add(bus.publish("a", new EventData.Qr("" + i)));
        }
        List<Object> received = new ArrayList<>();

        bus.subscribe(EventFilter.ALL, published.get(1).sequence(), received::add, received::add);

        assertThat(received).containsExactlyElementsOf(published.subList(2, 5));
    }

    @Test
    void aSessionFilterHearsOfAGapOnlyWhenOneOfItsSessionsLostEvents() {
        SessionEvent first = bus.publish("b", new EventData.Qr("b0"));
        for (int i = 0; i < 4; i++) {
            bus.publish("a", new EventData.Qr("a" + i)); // pushes b0 and a0 out
        }
        List<Object> ofC = new ArrayList<>();
        List<Object> ofB = new ArrayList<>();

        bus.subscribe(new EventFilter(Set.of("c"), Set.of()), first.sequence() - 1, ofC::add, ofC::add);
        bus.subscribe(new EventFilter(Set.of("b"), Set.of()), first.sequence() - 1, ofB::add, ofB::add);

        assertThat(ofC).isEmpty();
        assertThat(ofB).singleElement().isInstanceOf(EventGap.class);
    }

    @Test
    void anIdFromBeforeThisProcessIsAGapEvenWithNothingBuffered() {
        List<Object> received = new ArrayList<>();

        bus.subscribe(EventFilter.ALL, 42L, received::add, received::add);

        assertThat(received)
                .singleElement()
                .isInstanceOfSatisfying(
                        EventGap.class, gap -> assertThat(gap.data()).isEqualTo(new EventGap.Data("42", null)));
    }

    @Test
    void closedSubscriptionsGetNothing() {
        List<SessionEvent> got = new ArrayList<>();
        EventBus.Subscription subscription = bus.subscribe(EventFilter.ALL, got::add);
        subscription.close();
        bus.publish("a", new EventData.Qr("x"));
        assertThat(got).isEmpty();
    }

    @Test
    void filtersParseRepeatedAndCommaSeparatedValuesAndRejectBadOnes() {
        EventFilter filter =
                EventFilter.parse(List.of("a,b", "c"), List.of("session.qr,session.status", "session.closed"));
        assertThat(filter.sessionIds()).containsExactlyInAnyOrder("a", "b", "c");
        assertThat(filter.types()).containsExactlyInAnyOrder(EventType.QR, EventType.STATUS, EventType.CLOSED);

        assertThatThrownBy(() -> EventFilter.parse(List.of("../x"), List.of()))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> EventFilter.parse(List.of(), List.of("qr")))
                .hasMessageContaining("unknown event type 'qr'");
    }
}
