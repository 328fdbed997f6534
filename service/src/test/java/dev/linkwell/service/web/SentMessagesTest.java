package dev.linkwell.service.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.linkwell.service.engine.SendException;
import dev.linkwell.service.session.SessionOwnership;
import dev.linkwell.service.storage.FileCredentialStore;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SentMessagesTest {

    private Instant now = Instant.parse("2026-11-30T10:00:00Z");
    private final Clock clock = new Clock() {
        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    };

    @TempDir
    Path root;

    private FileCredentialStore store;
    private SentMessages sent;

    @BeforeEach
    void start() {
        store = new FileCredentialStore(root);
        // the sessions have credentials: their sent ids are kept with them
        store.write("s1", "creds", new byte[] {1});
        store.write("s2", "creds", new byte[] {1});
        sent = new SentMessages(clock, store, SessionOwnership.SOLE);
    }

    private final AtomicInteger sends = new AtomicInteger();

    private CompletableFuture<String> engineSends() {
        return CompletableFuture.completedFuture("MSG-" + sends.incrementAndGet());
    }

    private static OutgoingText text(String id) {
        return new OutgoingText("51987654321@s.whatsapp.net", "hello", id);
    }

    @Test
    void theSameClientIdSendsOnceAndAnswersTheSameMessageId() throws Exception {
        SentMessages.Outcome first =
                sent.send("s1", text("a"), this::engineSends).get();
        SentMessages.Outcome again =
                sent.send("s1", text("a"), this::engineSends).get();
        assertThat(first).isEqualTo(new SentMessages.Outcome("MSG-1", false));
        assertThat(again).isEqualTo(new SentMessages.Outcome("MSG-1", true));
        assertThat(sends).hasValue(1);
        assertThat(sent.send("s2", text("a"), this::engineSends).get().messageId())
                .as("per session")
                .isEqualTo("MSG-2");
        assertThat(sent.send("s1", text(null), this::engineSends).get().messageId())
                .as("no id: always sends")
                .isEqualTo("MSG-3");
        assertThat(sent.send("s1", text(null), this::engineSends).get().messageId())
                .isEqualTo("MSG-4");
    }

    @Test
    void aDuplicateWhileTheFirstIsStillSendingWaitsForIt() throws Exception {
        CompletableFuture<String> engine = new CompletableFuture<>();
        CompletableFuture<SentMessages.Outcome> first = sent.send("s1", text("b"), () -> engine);
        CompletableFuture<SentMessages.Outcome> second = sent.send("s1", text("b"), this::engineSends);
        assertThat(second).isNotDone();
        engine.complete("MSG-X");
        assertThat(first.get().messageId()).isEqualTo("MSG-X");
        assertThat(second.get()).isEqualTo(new SentMessages.Outcome("MSG-X", true));
        assertThat(sends).hasValue(0);
    }

    @Test
    void aFailedSendIsForgottenSoARetrySends() throws Exception {
        CompletableFuture<SentMessages.Outcome> failed = sent.send(
                "s1",
                text("c"),
                () -> CompletableFuture.failedFuture(new SendException(SendException.Kind.TIMEOUT, "no answer")));
        assertThatThrownBy(failed::get)
                .isInstanceOf(ExecutionException.class)
                .hasRootCauseInstanceOf(SendException.class);
        assertThat(sent.send("s1", text("c"), this::engineSends).get())
                .isEqualTo(new SentMessages.Outcome("MSG-1", false));
    }

    @Test
    void anIdUsedForAnotherMessageIsRefused() throws Exception {
        sent.send("s1", text("d"), this::engineSends).get();
        assertThatThrownBy(() -> sent.send(
                        "s1", new OutgoingText("51987654321@s.whatsapp.net", "other text", "d"), this::engineSends))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("already used");
    }

    @Test
    void aRestartKeepsTheIdsOfSentMessages() throws Exception {
        sent.send("s1", text("r"), this::engineSends).get();
        SentMessages afterRestart = new SentMessages(clock, store, SessionOwnership.SOLE);
        assertThat(afterRestart.send("s1", text("r"), this::engineSends).get())
                .isEqualTo(new SentMessages.Outcome("MSG-1", true));
        assertThat(sends).hasValue(1);
        assertThatThrownBy(() -> afterRestart.send(
                        "s1", new OutgoingText("51987654321@s.whatsapp.net", "changed", "r"), this::engineSends))
                .isInstanceOf(IllegalArgumentException.class);
        now = now.plus(SentMessages.KEEP).plus(Duration.ofSeconds(1));
        assertThat(new SentMessages(clock, store, SessionOwnership.SOLE)
                        .send("s1", text("r"), this::engineSends)
                        .get())
                .as("a day later the id is new again")
                .isEqualTo(new SentMessages.Outcome("MSG-2", false));
    }

    @Test
    void withSeveralNodesTheIdsSentOnAnotherNodeMeanwhileCount() throws Exception {
        SentMessages first = new SentMessages(clock, store, SHARED);
        SentMessages second = new SentMessages(clock, store, SHARED);
        first.send("s1", text("a"), this::engineSends).get();
        // the session moved to the second node, which sent another message, then came back
        second.send("s1", text("b"), this::engineSends).get();
        assertThat(first.send("s1", text("b"), this::engineSends).get())
                .isEqualTo(new SentMessages.Outcome("MSG-2", true));
        first.send("s1", text("c"), this::engineSends).get();
        assertThat(new String(store.read("s1", SentMessages.BLOB).orElseThrow(), StandardCharsets.UTF_8))
                .as("the first node's save keeps what the second stored")
                .contains("b MSG-2 ");
        assertThat(sends).hasValue(3);
    }

    /** Several nodes share the sessions (leases themselves play no part here): every session held, as SOLE does. */
    private static final SessionOwnership SHARED = (SessionOwnership) Proxy.newProxyInstance(
            SessionOwnership.class.getClassLoader(),
            new Class<?>[] {SessionOwnership.class},
            (proxy, method, args) ->
                    method.getName().equals("shared") ? Boolean.TRUE : method.invoke(SessionOwnership.SOLE, args));

    @Test
    void aSessionWithoutCredentialsGetsNoBlobAndAnUnreadableBlobIsSkipped() throws Exception {
        sent.send("gone", text("g"), this::engineSends).get();
        assertThat(store.exists("gone"))
                .as("a logged-out session must not look stored again")
                .isFalse();
        store.write("s2", SentMessages.BLOB, "garbage\nx y z\n".getBytes(StandardCharsets.UTF_8));
        assertThat(new SentMessages(clock, store, SessionOwnership.SOLE)
                        .send("s2", text("g"), this::engineSends)
                        .get())
                .isEqualTo(new SentMessages.Outcome("MSG-2", false));
    }

    @Test
    void aSessionKeepsItsNewestIdsOnly() throws Exception {
        for (int i = 0; i < SentMessages.MAX_PER_SESSION + 5; i++) {
            sent.send("s1", text("k" + i), this::engineSends).get();
        }
        String blob = new String(store.read("s1", SentMessages.BLOB).orElseThrow(), StandardCharsets.UTF_8);
        assertThat(blob.lines()).hasSize(SentMessages.MAX_PER_SESSION);
        assertThat(blob.lines().findFirst())
                .hasValueSatisfying(l -> assertThat(l).startsWith("k5 MSG-6 "));
    }

    @Test
    void idsAreForgottenAfterADay() throws Exception {
        sent.send("s1", text("e"), this::engineSends).get();
        now = now.plus(SentMessages.KEEP).plus(Duration.ofSeconds(1));
        assertThat(sent.send("s1", text("e"), this::engineSends).get())
                .isEqualTo(new SentMessages.Outcome("MSG-2", false));
    }
}
