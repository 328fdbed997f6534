package dev.linkwell.simulator;

import java.util.Objects;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.Predicate;

/**
 * Scripted answers first, then the dispatcher underneath: each {@link #enqueue}d reply answers the first
 * request that matches it, once, in the order they were queued; every other request goes to the delegate
 * (the WhatsApp behaviour unless replaced). Lock-free: connections dispatch concurrently.
 */
final class ScriptedDispatcher implements Dispatcher {

    private record Script(Predicate<Request> match, Reply reply) {}

    private final Queue<Script> scripts = new ConcurrentLinkedQueue<>();
    private final Recorder recorder;
    private volatile Dispatcher delegate = Dispatcher.WHATSAPP;

    ScriptedDispatcher(Recorder recorder) {
        this.recorder = recorder;
    }

    void enqueue(Predicate<Request> match, Reply reply) {
        scripts.add(new Script(Objects.requireNonNull(match, "match"), Objects.requireNonNull(reply, "reply")));
    }

    void delegate(Dispatcher dispatcher) {
        this.delegate = Objects.requireNonNull(dispatcher, "dispatcher");
    }

    @Override
    public void dispatch(Exchange exchange) {
        for (Script s : scripts) {
            // remove() succeeds for one caller only: two connections cannot both use one script
            if (s.match.test(exchange.request()) && scripts.remove(s)) {
                Request r = exchange.request();
                recorder.event(
                        new SimulatorEvent.Scripted(recorder.origin(r.connectionId(), r.deviceJid()), describe(r)));
                s.reply.answer(exchange);
                return;
            }
        }
        delegate.dispatch(exchange);
    }

    private static String describe(Request request) {
        return switch (request) {
            case Request.Login login -> "login of " + login.deviceJid();
            case Request.Stanza stanza ->
                "<" + stanza.node().tag()
                        + (stanza.node().attr("id") == null
                                ? ""
                                : " id=" + stanza.node().attr("id")) + ">";
        };
    }
}
