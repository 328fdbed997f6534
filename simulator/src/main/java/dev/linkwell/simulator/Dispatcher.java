package dev.linkwell.simulator;

/**
 * Decides what the server does with each thing a client asks of it, as MockWebServer's dispatcher decides
 * each HTTP answer. {@link #WHATSAPP} is the simulator's WhatsApp behaviour; a test that needs the server to
 * misbehave scripts single answers with {@link WaSimulator#enqueue} or installs its own dispatcher with
 * {@link WaSimulator#dispatcher(Dispatcher)}, handing anything it does not care about to
 * {@link Exchange#serveAsWhatsApp()}.
 *
 * <p>Called on the connection's own thread, one request at a time per connection; it must not block.
 */
@FunctionalInterface
public interface Dispatcher {

    void dispatch(Exchange exchange);

    /** The WhatsApp behaviour: every request is served as the real server would serve it. */
    Dispatcher WHATSAPP = Exchange::serveAsWhatsApp;
}
