package dev.linkwell.simulator;

import static dev.linkwell.simulator.AdminRequests.JSON;
import static dev.linkwell.simulator.AdminRequests.error;
import static dev.linkwell.simulator.AdminRequests.flag;
import static dev.linkwell.simulator.AdminRequests.number;
import static dev.linkwell.simulator.AdminRequests.object;
import static dev.linkwell.simulator.AdminRequests.ok;
import static dev.linkwell.simulator.AdminRequests.only;
import static dev.linkwell.simulator.AdminRequests.segments;
import static dev.linkwell.simulator.AdminRequests.text;
import static dev.linkwell.simulator.AdminRequests.write;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The simulator's admin API as a transport-independent handler: {@link #handle(String, String, byte[])} takes
 * a method, a path relative to wherever the API is mounted ({@code /phones}, not {@code /simulator/phones})
 * and the request body, and returns a status with a JSON body. {@link AdminHttpServer} mounts it on the JDK
 * HTTP server; the service can mount the same handler under its own prefix.
 *
 * <p>Errors are {@code {"error": "..."}} with a 4xx status (5xx only for pairing that failed on the other
 * side or an internal fault); no input makes the handler throw.
 */
public final class AdminApi {

    /** Largest request body accepted (bytes). */
    public static final int MAX_BODY = 64 * 1024;

    private static final Logger log = LoggerFactory.getLogger(AdminApi.class);

    private final WaSimulator sim;
    private final DeviceCommands devices;

    public AdminApi(WaSimulator sim) {
        this.sim = Objects.requireNonNull(sim);
        this.devices = new DeviceCommands(sim);
    }

    /** A response: HTTP status and a JSON document. */
    public record AdminResponse(int status, String json) {
        public byte[] body() {
            return json.getBytes(StandardCharsets.UTF_8);
        }
    }

    public AdminResponse handle(String method, String path, byte[] body) {
        try {
            return route(
                    method == null ? "" : method.toUpperCase(),
                    path == null ? "" : path,
                    body == null ? new byte[0] : body);
        } catch (SimulatorException e) {
            return error(e.status(), e.getMessage());
        } catch (RuntimeException e) {
            log.warn("admin API {} {} failed", method, path, e);
            return error(500, "internal error: " + e);
        }
    }

    private AdminResponse route(String method, String rawPath, byte[] body) {
        if (body.length > MAX_BODY) {
            return error(413, "request body is larger than " + MAX_BODY + " bytes");
        }
        int q = rawPath.indexOf('?');
        String path = q >= 0 ? rawPath.substring(0, q) : rawPath;
        List<String> seg = segments(path);
        if (seg.isEmpty()) {
            return only(method, "GET", () -> ok(index()));
        }
        switch (seg.get(0)) {
            case "trust-anchor" -> {
                if (seg.size() == 1) {
                    return only(
                            method,
                            "GET",
                            () -> ok(JSON.createObjectNode()
                                    .put("trustAnchor", sim.trustAnchor().hex())
                                    .put("webSocketUrl", sim.webSocketUrl())));
                }
            }
            case "phones" -> {
                if (seg.size() == 1) {
                    if (method.equals("GET")) {
                        ArrayNode arr = JSON.createArrayNode();
                        sim.phones().forEach(p -> arr.add(phoneJson(p)));
                        return ok(arr);
                    }
                    return only(method, "POST", () -> {
                        JsonNode in = object(body);
                        Phone p = sim.addPhone(
                                text(in, "number", true),
                                new PhoneProfile(flag(in, "lid"), flag(in, "hostedBusiness")));
                        return new AdminResponse(201, write(phoneJson(p)));
                    });
                }
                Phone phone = sim.phone(seg.get(1));
                if (seg.size() == 2) {
                    return only(method, "GET", () -> ok(phoneJson(phone)));
                }
                if (seg.size() == 3) {
                    switch (seg.get(2)) {
                        case "scan" -> {
                            return only(
                                    method, "POST", () -> ok(deviceJson(phone.scan(text(object(body), "qr", true)))));
                        }
                        case "link-code" -> {
                            return only(
                                    method,
                                    "POST",
                                    () -> ok(deviceJson(phone.enterCode(text(object(body), "code", true)))));
                        }
                        case "messages" -> {
                            return only(method, "GET", () -> {
                                ArrayNode arr = JSON.createArrayNode();
                                phone.receivedMessages()
                                        .forEach(m -> arr.add(JSON.createObjectNode()
                                                .put("id", m.id())
                                                .put("from", m.from())
                                                .put("chat", m.chat())
                                                .put("fromMe", m.fromMe())
                                                .put("type", m.type())
                                                .put("text", m.text())
                                                .put("at", m.at().toString())));
                                return ok(arr);
                            });
                        }
                        case "fail-next-decrypt" -> {
                            return only(method, "POST", () -> {
                                sim.failNextDecrypt(phone);
                                return ok(JSON.createObjectNode()
                                        .put("phone", phone.id())
                                        .put("failNextDecrypt", true));
                            });
                        }
                        case "send" -> {
                            return only(method, "POST", () -> {
                                JsonNode in = object(body);
                                String chat = text(in, "chat", true);
                                String id = phone.sendFromPhone(chat, text(in, "text", true));
                                return new AdminResponse(
                                        202,
                                        write(JSON.createObjectNode()
                                                .put("id", id)
                                                .put("chat", chat)));
                            });
                        }
                        default -> {
                            // fall through to 404
                        }
                    }
                }
            }
            case "devices" -> {
                if (seg.size() == 1) {
                    return only(method, "GET", () -> {
                        ArrayNode arr = JSON.createArrayNode();
                        sim.devices().forEach(d -> arr.add(deviceJson(d)));
                        return ok(arr);
                    });
                }
                String jid = seg.get(1);
                if (seg.size() == 2) {
                    return only(method, "GET", () -> {
                        LinkedDevice d = sim.device(jid);
                        if (d == null) {
                            throw SimulatorException.notFound("no linked device " + WaSimulator.quote(jid));
                        }
                        return ok(deviceJson(d));
                    });
                }
                if (seg.size() == 3) {
                    AdminResponse r = devices.handle(method, jid, seg.get(2), body);
                    if (r != null) {
                        return r;
                    }
                }
            }
            case "refuse" -> {
                if (seg.size() == 1) {
                    return only(method, "POST", () -> {
                        JsonNode in = object(body);
                        long seconds = number(in, "seconds", 0, 86_400);
                        sim.refuseConnections(Duration.ofSeconds(seconds));
                        return ok(JSON.createObjectNode().put("refusingForSeconds", seconds));
                    });
                }
            }
            case "refuse-pairing-code" -> {
                if (seg.size() == 1) {
                    return only(method, "POST", () -> {
                        int code = (int) number(object(body), "code", 400, 599);
                        sim.refuseNextPairingCodeRequest(code);
                        return ok(JSON.createObjectNode().put("nextCompanionHelloAnswer", code));
                    });
                }
            }
            case "connection-attempts" -> {
                if (seg.size() == 1) {
                    return only(method, "GET", () -> ok(attemptsJson(sim.connectionAttempts())));
                }
            }
            case "events" -> {
                if (seg.size() == 1) {
                    return only(method, "GET", () -> {
                        ArrayNode arr = JSON.createArrayNode();
                        for (SimulatorEvent e : sim.events()) {
                            arr.add(JSON.createObjectNode()
                                    .put("connection", e.connectionId())
                                    .put("device", e.deviceJid())
                                    .put("type", e.type())
                                    .put("detail", e.detail())
                                    .put("at", e.at().toString()));
                        }
                        return ok(arr);
                    });
                }
            }
            default -> {
                // 404 below
            }
        }
        return error(404, "no such endpoint: " + method + " " + path);
    }

    private ObjectNode index() {
        ObjectNode o = JSON.createObjectNode();
        o.put("webSocketUrl", sim.webSocketUrl());
        o.put("trustAnchor", sim.trustAnchor().hex());
        ArrayNode endpoints = o.putArray("endpoints");
        for (String e : List.of(
                "GET /trust-anchor",
                "GET /phones",
                "POST /phones {number, lid?, hostedBusiness?}",
                "GET /phones/{id}",
                "POST /phones/{id}/scan {qr}",
                "POST /phones/{id}/link-code {code}",
                "GET /phones/{id}/messages",
                "POST /phones/{id}/fail-next-decrypt",
                "POST /phones/{id}/send {chat, text}",
                "GET /devices",
                "GET /devices/{jid}",
                "POST /devices/{jid}/messages {from, text, group?}",
                "POST /devices/{jid}/faults {corrupt?, reverse?, twice?}",
                "POST /devices/{jid}/remove",
                "POST /devices/{jid}/replace",
                "POST /devices/{jid}/stream-error {code}",
                "POST /devices/{jid}/failure {reason}",
                "POST /devices/{jid}/ban {code, expireSeconds}",
                "POST /devices/{jid}/fail-next-login {reason}",
                "POST /devices/{jid}/drop",
                "POST /devices/{jid}/silence",
                "POST /devices/{jid}/refuse-next-message {code}",
                "POST /devices/{jid}/prekey-low {count}",
                "GET /devices/{jid}/nodes",
                "POST /refuse {seconds}",
                "POST /refuse-pairing-code {code}",
                "GET /connection-attempts",
                "GET /events")) {
            endpoints.add(e);
        }
        return o;
    }

    private static ObjectNode attemptsJson(ConnectionAttempts.Snapshot attempts) {
        ObjectNode o = JSON.createObjectNode();
        o.put("total", attempts.total());
        o.put("windowSeconds", ConnectionAttempts.WINDOW_SECONDS);
        attempts.peak()
                .ifPresentOrElse(
                        p -> o.put("peakPerSecond", p.count())
                                .put("peakAt", p.start().toString()),
                        () -> o.put("peakPerSecond", 0).putNull("peakAt"));
        ArrayNode seconds = o.putArray("perSecond");
        attempts.perSecond()
                .forEach(s -> seconds.add(
                        JSON.createObjectNode().put("at", s.start().toString()).put("count", s.count())));
        return o;
    }

    private ObjectNode phoneJson(Phone p) {
        ObjectNode o = JSON.createObjectNode();
        o.put("id", p.id());
        o.put("number", p.number());
        o.put("jid", p.jid());
        o.put("lid", p.lid());
        o.put("lidAddressed", p.profile().lidAddressed());
        o.put("hostedBusiness", p.profile().hostedBusiness());
        ArrayNode devs = o.putArray("devices");
        p.linkedDevices().forEach(d -> devs.add(d.jid()));
        return o;
    }

    private ObjectNode deviceJson(LinkedDevice d) {
        ObjectNode o = JSON.createObjectNode();
        o.put("jid", d.jid());
        o.put("lid", d.lid());
        o.put("phoneId", d.phoneId());
        o.put("deviceId", d.deviceId());
        o.put("connected", sim.isConnected(d.jid()));
        o.put("method", d.method());
        o.put("linkedAt", d.linkedAt() == null ? null : d.linkedAt().toString());
        o.put("preKeys", sim.preKeys(d.jid()).size());
        o.put("pendingMessages", sim.pendingMessages(d.jid()).size());
        return o;
    }
}
