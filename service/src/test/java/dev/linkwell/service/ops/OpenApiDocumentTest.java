package dev.linkwell.service.ops;

import static org.assertj.core.api.Assertions.assertThat;

import dev.linkwell.service.support.Api;
import dev.linkwell.service.support.ServiceTest;
import java.net.http.HttpResponse;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.servlet.handler.AbstractUrlHandlerMapping;
import org.springframework.web.servlet.mvc.method.RequestMappingInfo;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;

/**
 * The OpenAPI document matches the endpoints the service really serves: every MVC handler of ours and
 * the WebSocket path is documented with a summary, nothing documented is missing from the service,
 * and every error answer is a problem detail with an example.
 */
@ServiceTest
class OpenApiDocumentTest {

    @LocalServerPort
    int port;

    @Autowired
    @Qualifier("requestMappingHandlerMapping")
    RequestMappingHandlerMapping handlers;

    @Autowired
    @Qualifier("webSocketHandlerMapping")
    AbstractUrlHandlerMapping webSockets;

    Map<String, Object> document;

    @BeforeEach
    void fetch() {
        HttpResponse<String> response = new Api(port).get("/v3/api-docs");
        assertThat(response.statusCode()).isEqualTo(200);
        document = Api.json(response);
    }

    @Test
    void everyEndpointIsDocumentedAndEveryDocumentedEndpointExists() {
        Set<String> served = new TreeSet<>();
        for (Map.Entry<RequestMappingInfo, HandlerMethod> entry :
                handlers.getHandlerMethods().entrySet()) {
            if (!entry.getValue().getBeanType().getPackageName().startsWith("dev.linkwell")) {
                continue; // Spring's error controller, springdoc's own endpoints
            }
            for (String path : entry.getKey().getPatternValues()) {
                entry.getKey()
                        .getMethodsCondition()
                        .getMethods()
                        .forEach(method -> served.add(method.name().toLowerCase(Locale.ROOT) + " " + path));
            }
        }
        webSockets.getHandlerMap().keySet().forEach(path -> served.add("get " + path));

        Set<String> documented = new TreeSet<>();
        paths().forEach((path, item) -> item.keySet().stream()
                .filter(k -> Set.of("get", "put", "post", "delete", "patch").contains(k))
                .forEach(method -> documented.add(method + " " + path)));

        assertThat(served)
                .as("endpoints found")
                .contains(
                        "put /sessions/{id}",
                        "get /events",
                        "get /ws/events",
                        "get /webhooks/dead-letters",
                        "post /webhooks/dead-letters/{id}/retry",
                        "post /sessions/{id}/api-keys");
        assertThat(documented).as("documented exactly the endpoints served").isEqualTo(served);
    }

    @Test
    void everyOperationHasASummaryAndEveryErrorIsAProblemDetailWithAnExample() {
        Map<String, Object> responses = components("responses");
        paths().forEach((path, item) -> item.forEach((method, value) -> {
            Map<String, Object> operation = map(value);
            assertThat((String) operation.get("summary"))
                    .as("summary of %s %s", method, path)
                    .isNotBlank();
            map(operation.get("responses")).forEach((status, response) -> {
                if (Integer.parseInt(status) < 400) {
                    return;
                }
                Map<String, Object> resolved = map(response);
                if (resolved.containsKey("$ref")) {
                    String name = ((String) resolved.get("$ref")).substring("#/components/responses/".length());
                    assertThat(responses)
                            .as("%s %s: response %s", method, path, name)
                            .containsKey(name);
                    resolved = map(responses.get(name));
                }
                Map<String, Object> problem = map(map(resolved.get("content")).get("application/problem+json"));
                assertThat(problem)
                        .as("%s %s %s is a problem detail", method, path, status)
                        .isNotNull();
                assertThat(map(problem.get("examples")))
                        .as("%s %s %s has an example", method, path, status)
                        .isNotEmpty();
                Map<String, Object> example =
                        map(map(problem.get("examples")).values().iterator().next());
                assertThat(map(example.get("value")))
                        .as("example of %s %s %s", method, path, status)
                        .containsEntry("status", Integer.parseInt(status))
                        .containsKeys("type", "title", "detail");
            });
        }));
    }

    @Test
    void theApiKeySchemesAreDeclared() {
        assertThat(components("securitySchemes")).containsKeys("apiKeyHeader", "bearer");
        assertThat(map(components("securitySchemes").get("apiKeyHeader")))
                .containsEntry("name", "X-Api-Key")
                .containsEntry("in", "header");
    }

    private Map<String, Map<String, Object>> paths() {
        @SuppressWarnings("unchecked")
        Map<String, Map<String, Object>> paths = (Map<String, Map<String, Object>>) document.get("paths");
        return paths;
    }

    private Map<String, Object> components(String kind) {
        return map(map(document.get("components")).get(kind));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object value) {
        return (Map<String, Object>) value;
    }
}
