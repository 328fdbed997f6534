package dev.linkwell.protocol.conn;

import static org.assertj.core.api.Assertions.assertThat;

import dev.linkwell.protocol.binary.Node;
import dev.linkwell.protocol.stanza.Iq;
import dev.linkwell.protocol.time.ManualScheduler;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.Test;

class NodeRouterTest {

    private final ManualScheduler clock = new ManualScheduler();
    private final List<String> handled = new ArrayList<>();
    /** Runs mailbox tasks at once: the test thread plays the connection. */
    private final NodeRouter router = new NodeRouter(clock, Runnable::run);

    private Node iq(String type, String xmlns, String child) {
        return Node.withChildren("iq", Map.of("id", "1", "type", type, "xmlns", xmlns), List.of(Node.of(child)));
    }

    @Test
    void theFirstMatchingRouteTakesTheNodeAndTheRestFallBack() {
        router.on("iq")
                .type("get")
                .xmlns("w:p")
                .child("ping")
                .to(n -> handled.add("ping"))
                .on("iq")
                .type("get")
                .xmlns("encrypt")
                .to(n -> handled.add("encrypt " + n.children().getFirst().tag()))
                .on("iq")
                .to(n -> handled.add("any iq"))
                .on("notification")
                .type("encrypt")
                .to(n -> handled.add("low prekeys"))
                .otherwise(n -> handled.add("other " + n.tag()));
        router.route(iq("get", "w:p", "ping"));
        router.route(iq("get", "encrypt", "count"));
        router.route(iq("get", "encrypt", "digest"));
        router.route(iq("set", "w:p", "ping"));
        router.route(Node.of("notification", Map.of("type", "encrypt")));
        router.route(Node.of("notification", Map.of("type", "devices")));
        router.route(Node.of("receipt"));
        assertThat(handled)
                .containsExactly(
                        "ping",
                        "encrypt count",
                        "encrypt digest",
                        "any iq",
                        "low prekeys",
                        "other notification",
                        "other receipt");
    }

    @Test
    void anAnswerCompletesItsPendingQueryInsteadOfBeingRouted() throws Exception {
        router.on("iq").to(n -> handled.add("routed " + n.attr("id")));
        CompletableFuture<Node> answer = router.expect("q1", Duration.ofSeconds(30));
        router.route(Node.of("iq", Map.of("id", "q2", "type", "result")));
        assertThat(answer).isNotDone();
        router.route(Iq.serverError(Node.of("iq", Map.of("id", "q1")), 400, "bad-request"));
        assertThat(answer.get().attr("type")).isEqualTo("error");
        assertThat(handled).containsExactly("routed q2");
        assertThat(router.pendingCount()).isZero();
    }

    @Test
    void anUnansweredQueryTimesOutWhenTheClockSaysSoAndFailPendingEndsTheRest() {
        CompletableFuture<Node> slow = router.expect("q1", Duration.ofSeconds(30));
        CompletableFuture<Node> other = router.expect("q2", Duration.ofSeconds(60));
        clock.advance(Duration.ofSeconds(29));
        assertThat(slow).isNotDone();
        clock.advance(Duration.ofSeconds(1));
        assertThat(slow).isCompletedExceptionally();
        assertThat(catchCause(slow))
                .isInstanceOf(NodeRouter.IqTimeoutException.class)
                .hasMessageContaining("q1");
        router.failPending(new IllegalStateException("connection ended"));
        assertThat(catchCause(other)).hasMessage("connection ended");
        assertThat(clock.pending()).isZero();
    }

    private static Throwable catchCause(CompletableFuture<Node> f) {
        try {
            f.get();
            throw new AssertionError("completed normally");
        } catch (ExecutionException e) {
            return e.getCause();
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
    }
}
