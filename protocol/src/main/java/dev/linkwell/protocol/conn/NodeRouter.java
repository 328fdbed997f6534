package dev.linkwell.protocol.conn;

import dev.linkwell.protocol.binary.Node;
import dev.linkwell.protocol.time.Scheduler;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeoutException;

/**
 * Where each inbound node of one connection goes. First, an {@code <iq type="result|error" id>} that
 * answers one of our own iqs completes the future {@link #expect} gave for that id. Otherwise the first
 * route, in registration order, whose tag, {@code type}, {@code xmlns} and first-child tag all match takes
 * the node (an unset part matches anything); a node no route takes goes to {@link #otherwise}.
 *
 * <pre>{@code
 * router.on("iq").type("get").xmlns("urn:xmpp:ping").to(keepalive::answerPing);
 * router.on("notification").type("encrypt").to(preKeys::onLowCount);
 * router.on("stream:error").to(streamEnd::onStreamError);
 * }</pre>
 *
 * <p>Confined to one connection's {@link Mailbox}: routes, pending answers and their timeouts are only
 * touched there (a timeout is handed to the mailbox before it fails its future), so futures complete in
 * the mailbox and their callbacks run there too.
 */
public final class NodeRouter {

    /** Takes one node. */
    @FunctionalInterface
    public interface Handler {
        void handle(Node node);
    }

    /** An answer did not come in time. */
    public static final class IqTimeoutException extends TimeoutException {
        IqTimeoutException(String id, Duration after) {
            super("no answer to iq " + id + " within " + after.toMillis() + " ms");
        }
    }

    private record Route(String tag, String type, String xmlns, String child, Handler handler) {
        boolean matches(Node node) {
            if (!tag.equals(node.tag())
                    || !matchesAttr(type, node.attr("type"))
                    || !matchesAttr(xmlns, node.attr("xmlns"))) {
                return false;
            }
            if (child == null) {
                return true;
            }
            Node first = node.contentKind() == Node.ContentKind.CHILDREN
                            && !node.children().isEmpty()
                    ? node.children().getFirst()
                    : null;
            return first != null && child.equals(first.tag());
        }

        private static boolean matchesAttr(String wanted, String actual) {
            return wanted == null || wanted.equals(actual);
        }
    }

    private record Pending(CompletableFuture<Node> answer, Scheduler.Timer timeout) {}

    private final Scheduler scheduler;
    private final Executor mailbox;
    private final List<Route> routes = new ArrayList<>();
    private final Map<String, Pending> pending = new HashMap<>();
    private Handler otherwise = node -> {};

    /**
     * @param scheduler times the pending answers
     * @param mailbox   the connection's mailbox, where timeouts fail their futures
     */
    public NodeRouter(Scheduler scheduler, Executor mailbox) {
        this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
        this.mailbox = Objects.requireNonNull(mailbox, "mailbox");
    }

    /** Starts a route for nodes with this tag; finish it with {@link Match#to}. */
    public Match on(String tag) {
        return new Match(Objects.requireNonNull(tag, "tag"));
    }

    /** Takes the nodes no route takes. */
    public NodeRouter otherwise(Handler handler) {
        this.otherwise = Objects.requireNonNull(handler, "handler");
        return this;
    }

    /**
     * The future answer to the iq with this id, which the caller sends right after: completes with the
     * answering {@code <iq>} (result or error), or fails with {@link IqTimeoutException} after
     * {@code timeout}, or with the reason given to {@link #failPending}.
     */
    public CompletableFuture<Node> expect(String id, Duration timeout) {
        CompletableFuture<Node> answer = new CompletableFuture<>();
        Scheduler.Timer timer = scheduler.schedule(
                timeout,
                () -> mailbox.execute(() -> {
                    Pending p = pending.remove(id);
                    if (p != null) {
                        p.answer.completeExceptionally(new IqTimeoutException(id, timeout));
                    }
                }));
        Pending old = pending.put(Objects.requireNonNull(id, "id"), new Pending(answer, timer));
        if (old != null) {
            old.timeout.cancel();
            old.answer.completeExceptionally(new IllegalStateException("iq id " + id + " reused"));
        }
        return answer;
    }

    /** Delivers one inbound node: to a pending answer, else to the first matching route, else to the fallback. */
    public void route(Node node) {
        if ("iq".equals(node.tag())
                && node.attr("id") != null
                && ("result".equals(node.attr("type")) || "error".equals(node.attr("type")))) {
            Pending p = pending.remove(node.attr("id"));
            if (p != null) {
                p.timeout.cancel();
                p.answer.complete(node);
                return;
            }
        }
        for (Route r : routes) {
            if (r.matches(node)) {
                r.handler.handle(node);
                return;
            }
        }
        otherwise.handle(node);
    }

    /** Fails every pending answer (the connection ended). */
    public void failPending(Throwable why) {
        List<Pending> all = List.copyOf(pending.values());
        pending.clear();
        for (Pending p : all) {
            p.timeout.cancel();
            p.answer.completeExceptionally(why);
        }
    }

    /** How many answers are awaited. */
    public int pendingCount() {
        return pending.size();
    }

    /** A route under construction: narrow it with the attribute and child filters, then give its handler. */
    public final class Match {
        private final String tag;
        private String type;
        private String xmlns;
        private String child;

        private Match(String tag) {
            this.tag = tag;
        }

        /** The node's {@code type} attribute must be this. */
        public Match type(String value) {
            this.type = value;
            return this;
        }

        /** The node's {@code xmlns} attribute must be this. */
        public Match xmlns(String value) {
            this.xmlns = value;
            return this;
        }

        /** The node's first child must have this tag. */
        public Match child(String childTag) {
            this.child = childTag;
            return this;
        }

        /** Registers the route. */
        public NodeRouter to(Handler handler) {
            routes.add(new Route(tag, type, xmlns, child, Objects.requireNonNull(handler, "handler")));
            return NodeRouter.this;
        }
    }
}
