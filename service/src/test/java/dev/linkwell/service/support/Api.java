package dev.linkwell.service.support;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import tools.jackson.databind.json.JsonMapper;

/** A real HTTP client against the running service. */
public final class Api {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    @SuppressWarnings("unchecked")
    public static final Function<String, Map<String, Object>> JSON_READER = text -> JSON.readValue(text, Map.class);

    @SuppressWarnings("unchecked")
    public static final Function<String, List<Map<String, Object>>> JSON_LIST_READER =
            text -> JSON.readValue(text, List.class);

    private final HttpClient client = HttpClient.newHttpClient();
    private final String base;

    public Api(int port) {
        this.base = "http://localhost:" + port;
    }

    public String base() {
        return base;
    }

    public HttpResponse<String> put(String path) {
        return send(HttpRequest.newBuilder(uri(path))
                .PUT(HttpRequest.BodyPublishers.noBody())
                .build());
    }

    public HttpResponse<String> putJson(String path, String body) {
        return send(HttpRequest.newBuilder(uri(path))
                .header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(body))
                .build());
    }

    public HttpResponse<String> get(String path) {
        return send(HttpRequest.newBuilder(uri(path)).GET().build());
    }

    public HttpResponse<byte[]> getBytes(String path, String accept) {
        try {
            return client.send(
                    HttpRequest.newBuilder(uri(path))
                            .header("Accept", accept)
                            .GET()
                            .build(),
                    HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            throw new AssertionError(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    public HttpResponse<String> delete(String path) {
        return send(HttpRequest.newBuilder(uri(path)).DELETE().build());
    }

    public HttpResponse<String> send(HttpRequest request) {
        try {
            return client.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new AssertionError(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    public URI uri(String path) {
        return URI.create(base + path);
    }

    public static Map<String, Object> json(HttpResponse<?> response) {
        Object body = response.body();
        return JSON_READER.apply(body instanceof byte[] bytes ? new String(bytes) : (String) body);
    }

    public HttpClient client() {
        return client;
    }
}
