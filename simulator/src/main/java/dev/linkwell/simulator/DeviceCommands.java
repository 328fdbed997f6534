package dev.linkwell.simulator;

import static dev.linkwell.simulator.AdminRequests.JSON;
import static dev.linkwell.simulator.AdminRequests.number;
import static dev.linkwell.simulator.AdminRequests.object;
import static dev.linkwell.simulator.AdminRequests.ok;
import static dev.linkwell.simulator.AdminRequests.only;
import static dev.linkwell.simulator.AdminRequests.text;
import static dev.linkwell.simulator.AdminRequests.write;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.linkwell.simulator.AdminApi.AdminResponse;
import java.time.Duration;

/** The admin API's commands on one linked device ({@code /devices/{jid}/...}): messages, faults, disconnects. */
final class DeviceCommands {

    private final WaSimulator sim;

    DeviceCommands(WaSimulator sim) {
        this.sim = sim;
    }

    /** The answer to {@code command} on device {@code jid}, or null when there is no such command. */
    AdminResponse handle(String method, String jid, String command, byte[] body) {
        return switch (command) {
            case "messages" ->
                only(method, "POST", () -> {
                    JsonNode in = object(body);
                    Phone from = sim.phone(text(in, "from", true));
                    String text = text(in, "text", true);
                    String group = text(in, "group", false);
                    String id = group == null
                            ? sim.sendMessage(jid, from, text)
                            : sim.sendGroupMessage(jid, from, group, text);
                    return new AdminResponse(
                            202,
                            write(JSON.createObjectNode()
                                    .put("id", id)
                                    .put("to", jid)
                                    .put("from", group == null ? from.senderAddress() : group)
                                    .put("deliveredNow", sim.isConnected(jid))));
                });
            case "faults" ->
                only(method, "POST", () -> {
                    JsonNode in = object(body);
                    ObjectNode out = JSON.createObjectNode().put("device", jid);
                    if (in.has("corrupt")) {
                        sim.corruptNextMessages(jid, (int) number(in, "corrupt", 1, 1000));
                        out.put("corrupt", in.get("corrupt").asInt());
                    }
                    if (in.has("reverse")) {
                        sim.reverseNextMessages(jid, (int) number(in, "reverse", 2, 1000));
                        out.put("reverse", in.get("reverse").asInt());
                    }
                    if (in.has("twice")) {
                        sim.doubleNextMessages(jid, (int) number(in, "twice", 1, 1000));
                        out.put("twice", in.get("twice").asInt());
                    }
                    if (out.size() == 1) {
                        throw SimulatorException.badRequest("give at least one of corrupt, reverse, twice");
                    }
                    return ok(out);
                });
            case "remove" ->
                only(method, "POST", () -> {
                    sim.removeDevice(jid);
                    return ok(JSON.createObjectNode().put("removed", jid));
                });
            case "replace" ->
                only(method, "POST", () -> {
                    sim.replace(jid);
                    return ok(JSON.createObjectNode().put("replaced", jid));
                });
            case "stream-error" ->
                only(method, "POST", () -> {
                    int code = (int) number(object(body), "code", 100, 999);
                    sim.streamError(jid, code);
                    return ok(JSON.createObjectNode().put("streamError", code).put("device", jid));
                });
            case "failure" ->
                only(method, "POST", () -> {
                    int reason = (int) number(object(body), "reason", 100, 999);
                    sim.failure(jid, reason);
                    return ok(JSON.createObjectNode().put("failure", reason).put("device", jid));
                });
            case "fail-next-login" ->
                only(method, "POST", () -> {
                    int reason = (int) number(object(body), "reason", 100, 999);
                    sim.failNextLogin(jid, reason);
                    return ok(JSON.createObjectNode().put("device", jid).put("nextLoginFailure", reason));
                });
            case "ban" ->
                only(method, "POST", () -> {
                    JsonNode in = object(body);
                    int code = (int) number(in, "code", 0, 999);
                    long expire = number(in, "expireSeconds", 1, 365L * 24 * 3600);
                    sim.temporaryBan(jid, code, Duration.ofSeconds(expire));
                    return ok(JSON.createObjectNode()
                            .put("banned", jid)
                            .put("code", code)
                            .put("expireSeconds", expire));
                });
            case "nodes" ->
                only(method, "GET", () -> {
                    if (sim.device(jid) == null) {
                        throw SimulatorException.notFound("no linked device " + WaSimulator.quote(jid));
                    }
                    ArrayNode arr = JSON.createArrayNode();
                    for (RecordedNode n : sim.nodes(jid)) {
                        arr.add(JSON.createObjectNode()
                                .put("connection", n.connectionId())
                                .put("at", n.receivedAt().toString())
                                .put("node", n.node().toString()));
                    }
                    return ok(arr);
                });
            case "silence" ->
                only(method, "POST", () -> {
                    sim.silence(jid);
                    return ok(JSON.createObjectNode().put("silenced", jid));
                });
            case "refuse-next-message" ->
                only(method, "POST", () -> {
                    int code = (int) number(object(body), "code", 400, 599);
                    sim.refuseNextMessage(jid, code);
                    return ok(JSON.createObjectNode().put("device", jid).put("nextMessageRefusedWith", code));
                });
            case "prekey-low" ->
                only(method, "POST", () -> {
                    int count = (int) number(object(body), "count", 0, WaSimulator.MAX_PREKEYS_PER_DEVICE);
                    String id = sim.notifyLowPreKeys(jid, count);
                    return ok(JSON.createObjectNode()
                            .put("device", jid)
                            .put("count", count)
                            .put("notification", id));
                });
            case "drop" ->
                only(method, "POST", () -> {
                    sim.drop(jid);
                    return ok(JSON.createObjectNode().put("dropped", jid));
                });
            default -> null;
        };
    }
}
