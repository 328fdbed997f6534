package dev.linkwell.client.doctor;

import dev.linkwell.client.doctor.ProbeStep.Problem;
import dev.linkwell.client.doctor.ProbeStep.Step;
import dev.linkwell.client.engine.ClientConfig;
import dev.linkwell.client.engine.Registration;
import dev.linkwell.client.socket.WebSocketTransport;
import dev.linkwell.protocol.ProtocolException;
import dev.linkwell.protocol.binary.Node;
import dev.linkwell.protocol.binary.TokenDictionary;
import dev.linkwell.protocol.conn.NoiseSocket;
import dev.linkwell.protocol.frame.FrameCodec;
import dev.linkwell.protocol.noise.CertificateException;
import dev.linkwell.protocol.noise.CertificateVerifier;
import dev.linkwell.protocol.noise.NoiseInitiator;
import dev.linkwell.protocol.noise.TrustAnchor;
import dev.linkwell.protocol.noise.VerifiedChain;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpTimeoutException;
import java.net.http.WebSocketHandshakeException;
import java.nio.channels.UnresolvedAddressException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLException;

/**
 * A diagnostic run against a WhatsApp server, with no phone and nothing stored: opens the WebSocket,
 * runs the Noise handshake with the strict certificate check against the configured trust anchor, sends a
 * registration payload for a throwaway key set with the configured version, and waits for the
 * {@code <pair-device>} refs a new companion is offered (they arrive only if the server accepted the version,
 * and they decode only if our dictionary matches the server's). Then it closes the connection: it answers
 * nothing, links nothing and keeps none of the keys.
 *
 * <p>Each step is timed and reported as passed, failed (with the kind of {@link Problem}) or skipped. Every
 * wait is bounded by the configuration's connect timeout. Built from the engine's own pieces
 * ({@link WebSocketTransport}, {@link NoiseSocket}, {@link NoiseInitiator}, {@link CertificateVerifier},
 * {@link Registration}), so it
 * checks what a session would do.
 */
public final class ServerProbe {

    private final ClientConfig config;
    private final HttpClient http;
    private final SecureRandom random;
    private final Clock clock;
    private final Duration timeout;

    /**
     * @param config what to probe: URL, origin, trust anchor, version; {@link ClientConfig#connectTimeout()}
     *               bounds each wait
     * @param http   the client that opens the WebSocket
     * @param random source of the throwaway keys
     * @param clock  the time certificates are checked against
     */
    public ServerProbe(ClientConfig config, HttpClient http, SecureRandom random, Clock clock) {
        this.config = Objects.requireNonNull(config, "config");
        this.http = Objects.requireNonNull(http, "http");
        this.random = Objects.requireNonNull(random, "random");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.timeout = config.connectTimeout();
    }

    /** Runs every step it can, in order, and reports them; blocks for at most a few timeouts. */
    public ProbeReport run() {
        long start = System.nanoTime();
        Map<Step, ProbeStep> done = new EnumMap<>(Step.class);
        new Run(done).execute();
        List<ProbeStep> steps = new ArrayList<>();
        for (Step s : Step.values()) {
            steps.add(done.getOrDefault(s, ProbeStep.skipped(s)));
        }
        return new ProbeReport(config.url(), config.versionString(), steps, millisSince(start));
    }

    private sealed interface Event permits Opened, Bytes, Frame, Closed {}

    private record Bytes(byte[] chunk) implements Event {}

    private record Opened() implements Event {}

    private record Frame(byte[] bytes) implements Event {}

    private record Closed(String reason, Throwable error) implements Event {}

    /** One connection; the socket's callbacks only queue events, this thread reads them in order. */
    private final class Run implements WebSocketTransport.Handler {
        private final Map<Step, ProbeStep> done;
        private final BlockingQueue<Event> events = new LinkedBlockingQueue<>();
        private final ArrayDeque<Event> frames = new ArrayDeque<>();
        private final NoiseInitiator noise;
        private final WebSocketTransport socket;
        private final NoiseSocket framing;

        Run(Map<Step, ProbeStep> done) {
            this.done = done;
            var throwaway = Registration.newDevice(random);
            this.noise = new NoiseInitiator(
                    throwaway.noiseKey(),
                    new CertificateVerifier(TrustAnchor.of(config.trustAnchor()), clock),
                    FrameCodec.WA_INTRO,
                    random);
            this.socket = new WebSocketTransport(this);
            this.framing = NoiseSocket.initiator(noise.intro(), socket::send);
        }

        @Override
        public void onOpen() {
            events.add(new Opened());
        }

        @Override
        public void onBytes(byte[] chunk, Runnable readMore) {
            events.add(new Bytes(chunk));
            readMore.run();
        }

        @Override
        public void onClosed(int statusCode, String reason, Throwable error) {
            events.add(new Closed(reason, error));
        }

        void execute() {
            try {
                if (webSocket() && noiseAndCertificate()) {
                    registration();
                }
            } finally {
                socket.close();
            }
        }

        private boolean webSocket() {
            long t = System.nanoTime();
            socket.open(http, config.url(), config.origin(), timeout);
            // a little longer than the upgrade's own timeout, so the HTTP client reports first when it can
            Event e = next(timeout.plusSeconds(1));
            String secure = "wss".equalsIgnoreCase(config.url().getScheme()) ? " over TLS" : " without TLS (ws://)";
            return switch (e) {
                case Opened o ->
                    pass(Step.WEBSOCKET, t, "connected to " + config.url().getHost() + secure);
                case Closed c -> fail(Step.WEBSOCKET, t, classify(c.error()), c.reason() + httpStatus(c.error()));
                case null ->
                    fail(
                            Step.WEBSOCKET,
                            t,
                            Problem.NO_ANSWER,
                            "no answer to the WebSocket upgrade within " + timeout.toMillis() + " ms");
                case Frame f -> fail(Step.WEBSOCKET, t, Problem.NOT_WHATSAPP, "data before the upgrade completed");
                case Bytes b -> fail(Step.WEBSOCKET, t, Problem.NOT_WHATSAPP, "data before the upgrade completed");
            };
        }

        private boolean noiseAndCertificate() {
            long t = System.nanoTime();
            framing.writeFrame(noise.clientHello());
            Event e = next(timeout);
            if (!(e instanceof Frame(byte[] hello))) {
                return e instanceof Closed c
                        ? fail(
                                Step.NOISE,
                                t,
                                Problem.CLOSED,
                                "the server closed the connection instead of answering" + " the Noise hello: "
                                        + c.reason())
                        : fail(
                                Step.NOISE,
                                t,
                                Problem.NO_ANSWER,
                                "the WebSocket is open but no Noise answer came within " + timeout.toMillis() + " ms");
            }
            long received = System.nanoTime();
            try {
                VerifiedChain chain = noise.processServerHello(hello);
                pass(Step.NOISE, t, received, "server hello received; the server's static key decrypted");
                return pass(
                        Step.CERTIFICATE,
                        received,
                        "signed by the trust anchor " + abbreviated(config.trustAnchor())
                                + "; intermediate serial "
                                + chain.intermediate().serial() + " valid until "
                                + chain.intermediate().notAfter() + "; leaf valid until "
                                + chain.leaf().notAfter()
                                + " and it holds the server's static key");
            } catch (CertificateException ce) {
                pass(Step.NOISE, t, received, "server hello received; the server's static key decrypted");
                return fail(
                        Step.CERTIFICATE,
                        received,
                        problemOf(ce.check()),
                        "check " + ce.check() + " failed: " + ce.getMessage());
            } catch (ProtocolException pe) {
                return fail(
                        Step.NOISE,
                        t,
                        Problem.NOT_WHATSAPP,
                        "the answer is not a WhatsApp Noise server hello: " + pe.getMessage());
            }
        }

        private void registration() {
            var throwaway = Registration.newDevice(random);
            long t = System.nanoTime();
            framing.writeFrame(noise.clientFinish(
                    Registration.registrationPayload(throwaway, config).toByteArray()));
            framing.secure(noise.transport(), TokenDictionary.CURRENT);
            long deadline = System.nanoTime() + timeout.toNanos();
            List<String> other = new ArrayList<>();
            while (true) {
                Event e = next(Duration.ofNanos(Math.max(0, deadline - System.nanoTime())));
                String seen = other.isEmpty() ? "" : " (received before: " + String.join(", ", other) + ")";
                if (e == null || e instanceof Closed) {
                    Problem p = e == null ? Problem.NO_ANSWER : Problem.CLOSED;
                    String what = e == null
                            ? "no pair-device refs within " + timeout.toMillis() + " ms"
                            : "the server closed the connection: " + ((Closed) e).reason();
                    if (done.containsKey(Step.VERSION)) {
                        fail(Step.PAIR_DEVICE, t, p, what + seen);
                    } else {
                        fail(Step.VERSION, t, p, what + ", after the registration payload" + seen);
                    }
                    return;
                }
                if (!(e instanceof Frame(byte[] frame))) {
                    continue;
                }
                Node node;
                try {
                    node = framing.open(frame);
                } catch (ProtocolException pe) {
                    accepted(t, "the server answered the registration with a stanza, not a failure");
                    fail(
                            Step.PAIR_DEVICE,
                            t,
                            Problem.UNDECODABLE,
                            "a stanza of " + frame.length + " bytes does not"
                                    + " decode with the dictionary v" + TokenDictionary.CURRENT.version() + " tables: "
                                    + pe.getMessage());
                    return;
                }
                switch (node.tag()) {
                    case "failure" -> {
                        String reason = node.attrOr("reason", "?");
                        Problem p = "405".equals(reason) ? Problem.CLIENT_OUTDATED : Problem.REFUSED;
                        fail(
                                Step.VERSION,
                                t,
                                p,
                                "the server answered <failure reason=\"" + reason + "\"/>"
                                        + ("405".equals(reason)
                                                ? ": client outdated, version " + config.versionString() + " is refused"
                                                : ""));
                        return;
                    }
                    case "stream:error" -> {
                        fail(
                                done.containsKey(Step.VERSION) ? Step.PAIR_DEVICE : Step.VERSION,
                                t,
                                Problem.REFUSED,
                                "the server ended the stream: <stream:error code=\"" + node.attrOr("code", "")
                                        + "\"/>");
                        return;
                    }
                    case "xmlstreamend" -> {
                        fail(
                                done.containsKey(Step.VERSION) ? Step.PAIR_DEVICE : Step.VERSION,
                                t,
                                Problem.CLOSED,
                                "the server ended the stream (<xmlstreamend/>)");
                        return;
                    }
                    default -> {
                        accepted(t, "the server went on after the registration payload with <" + node.tag() + ">");
                        Node pairDevice = node.child("pair-device");
                        if ("iq".equals(node.tag()) && pairDevice != null) {
                            int refs = pairDevice.children("ref").size();
                            if (refs == 0) {
                                fail(Step.PAIR_DEVICE, t, Problem.NOT_WHATSAPP, "<pair-device> carried no refs");
                            } else {
                                pass(
                                        Step.PAIR_DEVICE,
                                        t,
                                        refs + " refs received and decoded with the dictionary v"
                                                + TokenDictionary.CURRENT.version() + " tables");
                            }
                            return;
                        }
                        other.add("<" + node.tag() + ">");
                    }
                }
            }
        }

        /** The first stanza that is not a refusal means the version was accepted. */
        private void accepted(long t, String how) {
            if (!done.containsKey(Step.VERSION)) {
                pass(Step.VERSION, t, "version " + config.versionString() + " accepted: " + how);
            }
        }

        /** The next socket event, with received bytes cut into whole frames; null when none came in time. */
        private Event next(Duration wait) {
            long deadline = System.nanoTime() + wait.toNanos();
            while (frames.isEmpty()) {
                Event e;
                try {
                    e = events.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    return null;
                }
                if (!(e instanceof Bytes(byte[] chunk))) {
                    return e;
                }
                try {
                    framing.receive(chunk).forEach(f -> frames.add(new Frame(f)));
                } catch (ProtocolException pe) {
                    socket.abort();
                    return new Closed("bad frame from server: " + pe.getMessage(), pe);
                }
            }
            return frames.poll();
        }

        private boolean pass(Step step, long startNanos, String detail) {
            return pass(step, startNanos, System.nanoTime(), detail);
        }

        private boolean pass(Step step, long startNanos, long endNanos, String detail) {
            done.put(step, ProbeStep.passed(step, TimeUnit.NANOSECONDS.toMillis(endNanos - startNanos), detail));
            return true;
        }

        private boolean fail(Step step, long startNanos, Problem problem, String detail) {
            done.put(step, ProbeStep.failed(step, millisSince(startNanos), problem, detail));
            return false;
        }
    }

    /** What kind of failure ended the WebSocket upgrade, from the first telling exception in the cause chain. */
    static Problem classify(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof WebSocketHandshakeException) {
                return Problem.UPGRADE_REFUSED;
            }
            if (t instanceof SSLException) {
                return Problem.TLS;
            }
            if (t instanceof HttpTimeoutException) {
                return Problem.NO_ANSWER;
            }
            if (t instanceof ConnectException
                    || t instanceof UnknownHostException
                    || t instanceof UnresolvedAddressException
                    || t instanceof NoRouteToHostException) {
                return Problem.UNREACHABLE;
            }
        }
        return error == null ? Problem.CLOSED : Problem.UNREACHABLE;
    }

    /** {@code " (HTTP 404)"} when the upgrade got an HTTP answer other than 101, else nothing. */
    private static String httpStatus(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof WebSocketHandshakeException w && w.getResponse() != null) {
                return " (HTTP " + w.getResponse().statusCode() + ")";
            }
        }
        return "";
    }

    static Problem problemOf(CertificateException.Check check) {
        return switch (check) {
            case INTERMEDIATE_SIGNATURE -> Problem.UNTRUSTED_CERTIFICATE;
            case INTERMEDIATE_VALIDITY, LEAF_VALIDITY -> Problem.CERTIFICATE_TIME;
            default -> Problem.BAD_CERTIFICATE;
        };
    }

    private static String abbreviated(byte[] key) {
        String hex = java.util.HexFormat.of().formatHex(key);
        return hex.substring(0, 8) + "..." + hex.substring(hex.length() - 4);
    }

    private static long millisSince(long startNanos) {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos);
    }
}
