package dev.linkwell.simulator;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.linkwell.simulator.AdminApi.AdminResponse;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** How the admin API reads a request (path segments, strict JSON fields) and writes its answers. */
final class AdminRequests {

    static final ObjectMapper JSON = new ObjectMapper();

    private AdminRequests() {}

    interface Action {
        AdminResponse run();
    }

    static AdminResponse only(String method, String allowed, Action action) {
        if (!allowed.equals(method)) {
            return error(405, "method " + method + " not allowed here; use " + allowed);
        }
        return action.run();
    }

    static List<String> segments(String path) {
        List<String> out = new ArrayList<>();
        for (String s : path.split("/")) {
            if (!s.isEmpty()) {
                try {
                    out.add(URLDecoder.decode(s, StandardCharsets.UTF_8));
                } catch (IllegalArgumentException e) {
                    throw SimulatorException.badRequest("bad percent-encoding in path");
                }
            }
        }
        return out;
    }

    static JsonNode object(byte[] body) {
        if (body.length == 0) {
            throw SimulatorException.badRequest("request body must be a JSON object");
        }
        JsonNode n;
        try {
            n = JSON.readTree(body);
        } catch (IOException e) {
            throw SimulatorException.badRequest("request body is not valid JSON");
        }
        if (n == null || !n.isObject()) {
            throw SimulatorException.badRequest("request body must be a JSON object");
        }
        return n;
    }

    static String text(JsonNode in, String field, boolean required) {
        JsonNode v = in.get(field);
        if (v == null || v.isNull()) {
            if (required) {
                throw SimulatorException.badRequest("field \"" + field + "\" is required");
            }
            return null;
        }
        if (!v.isTextual()) {
            throw SimulatorException.badRequest("field \"" + field + "\" must be a string");
        }
        return v.asText();
    }

    /** An optional boolean field, false when absent. */
    static boolean flag(JsonNode in, String field) {
        JsonNode v = in.get(field);
        if (v == null || v.isNull()) {
            return false;
        }
        if (!v.isBoolean()) {
            throw SimulatorException.badRequest("field \"" + field + "\" must be true or false");
        }
        return v.asBoolean();
    }

    static long number(JsonNode in, String field, long min, long max) {
        JsonNode v = in.get(field);
        if (v == null || v.isNull()) {
            throw SimulatorException.badRequest("field \"" + field + "\" is required");
        }
        if (!v.isIntegralNumber() || !v.canConvertToLong()) {
            throw SimulatorException.badRequest("field \"" + field + "\" must be an integer");
        }
        long n = v.asLong();
        if (n < min || n > max) {
            throw SimulatorException.badRequest("field \"" + field + "\" must be between " + min + " and " + max);
        }
        return n;
    }

    static AdminResponse ok(JsonNode n) {
        return new AdminResponse(200, write(n));
    }

    static AdminResponse error(int status, String message) {
        return new AdminResponse(status, write(JSON.createObjectNode().put("error", message)));
    }

    static String write(JsonNode n) {
        try {
            return JSON.writeValueAsString(n);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
