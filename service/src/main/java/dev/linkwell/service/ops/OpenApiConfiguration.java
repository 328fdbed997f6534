package dev.linkwell.service.ops;

import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.PathItem;
import io.swagger.v3.oas.models.examples.Example;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.info.License;
import io.swagger.v3.oas.models.media.Content;
import io.swagger.v3.oas.models.media.IntegerSchema;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.media.ObjectSchema;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.media.StringSchema;
import io.swagger.v3.oas.models.parameters.Parameter;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.oas.models.responses.ApiResponses;
import io.swagger.v3.oas.models.security.SecurityRequirement;
import io.swagger.v3.oas.models.security.SecurityScheme;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springdoc.core.customizers.OpenApiCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The OpenAPI document ({@code /v3/api-docs}, Swagger UI at {@code /swagger-ui.html}): the API key
 * schemes, one problem-detail schema with an example per error status (referenced by the controllers'
 * {@code @ApiResponse(ref = ...)}), 401/403 on every operation, and {@code /ws/events}, which is not an
 * MVC endpoint and so is described here by hand.
 */
@Configuration(proxyBeanMethods = false)
class OpenApiConfiguration {

    static final String PROBLEM_JSON = "application/problem+json";
    private static final String PROBLEM_SCHEMA = "Problem";
    private static final String HEADER_SCHEME = "apiKeyHeader";
    private static final String BEARER_SCHEME = "bearer";

    /** Reusable responses: name, status, title, example detail. */
    private static final List<String[]> PROBLEMS = List.of(
            new String[] {"BadRequest", "400", "Invalid request", "session id must match ^[A-Za-z0-9_-]{1,64}$"},
            new String[] {
                "Unauthorized",
                "401",
                "Authentication required",
                "send an API key in the X-Api-Key header or as Authorization: Bearer <key>"
            },
            new String[] {"Forbidden", "403", "Forbidden", "this API key is limited to session 'shop-1'"},
            new String[] {"NotFound", "404", "Session not found", "no session 'shop-1'"},
            new String[] {
                "Conflict",
                "409",
                "Session already running",
                "session 'shop-1' runs on provider 'native'; close it first"
            },
            new String[] {"ContentTooLarge", "413", "Content Too Large", "request body is larger than 4096 bytes"},
            new String[] {
                "UnsupportedMediaType", "415", "Unsupported Media Type", "Content-Type 'text/plain' is not supported."
            },
            new String[] {"UnprocessableContent", "422", "Unknown number", "51987654321 is not on WhatsApp"},
            new String[] {
                "TooManyRequests",
                "429",
                "Diagnostic already running",
                "a WhatsApp diagnostic is already running; ask again when it has answered"
            },
            new String[] {"BadGateway", "502", "Engine failed", "provider 'native' could not start the session: ..."},
            new String[] {
                "NotImplemented",
                "501",
                "Sending not implemented",
                "the native engine sends to users only, not to 120363000000000000@g.us"
            },
            new String[] {
                "Unavailable",
                "503",
                "Provider not available",
                "provider 'baileys' needs Node.js 20 or newer, and 'node' could not be run (...)"
            },
            new String[] {
                "GatewayTimeout",
                "504",
                "No answer in time",
                "WhatsApp did not answer in time (Timed Out); the message may or may not have been sent"
            });

    @Bean
    OpenAPI linkwellOpenApi() {
        Components components = new Components()
                .addSecuritySchemes(
                        HEADER_SCHEME,
                        new SecurityScheme()
                                .type(SecurityScheme.Type.APIKEY)
                                .in(SecurityScheme.In.HEADER)
                                .name("X-Api-Key")
                                .description("An API_KEY (admin) or a session key"))
                .addSecuritySchemes(
                        BEARER_SCHEME,
                        new SecurityScheme()
                                .type(SecurityScheme.Type.HTTP)
                                .scheme("bearer")
                                .description("The same keys as Authorization: Bearer <key>"))
                .addSchemas(PROBLEM_SCHEMA, problemSchema());
        for (String[] problem : PROBLEMS) {
            components.addResponses(problem[0], problem(Integer.parseInt(problem[1]), problem[2], problem[3]));
        }
        return new OpenAPI()
                .info(new Info()
                        .title("Linkwell")
                        .version("1")
                        .description(
                                "Self-hosted WhatsApp multi-device sessions: lifecycle, QR and pairing codes, event streams, "
                                        + "signed webhooks with a durable outbox. Errors are RFC 9457 problem details. With API_KEY set, every "
                                        + "endpoint except health needs a key.")
                        .license(new License().name("See the repository")))
                .components(components)
                .addSecurityItem(new SecurityRequirement().addList(HEADER_SCHEME))
                .addSecurityItem(new SecurityRequirement().addList(BEARER_SCHEME));
    }

    /** 401 and 403 apply to every operation once keys are configured; and the WebSocket stream. */
    @Bean
    OpenApiCustomizer authenticationResponsesAndWebSocket() {
        return openApi -> {
            openApi.getPaths().addPathItem("/ws/events", new PathItem().get(webSocketOperation()));
            openApi.getPaths()
                    .values()
                    .forEach(item -> item.readOperations().forEach(operation -> {
                        ApiResponses responses = operation.getResponses();
                        responses.putIfAbsent("401", new ApiResponse().$ref("#/components/responses/Unauthorized"));
                        responses.putIfAbsent("403", new ApiResponse().$ref("#/components/responses/Forbidden"));
                    }));
        };
    }

    private static Operation webSocketOperation() {
        return new Operation()
                .operationId("eventsWebSocket")
                .addTagsItem("Events")
                .summary("Event stream over WebSocket")
                .description(
                        "Upgrade to a WebSocket; each text frame is one event envelope {id, type, sessionId, timestamp, "
                                + "data}. Same filters as GET /events; pings every 15 s when idle. A bad filter closes the socket with 1008. "
                                + "Browsers, which cannot set headers on a WebSocket, may pass the key as ?apiKey=.")
                .addParametersItem(
                        query("sessionId", "Session ids to follow (repeatable or comma-separated; alias: session)"))
                .addParametersItem(query("type", "Event types to follow, e.g. session.qr,session.status"))
                .addParametersItem(query("lastEventId", "Replay buffered events after this id first"))
                .addParametersItem(query("apiKey", "The API key, for browsers"))
                .responses(new ApiResponses()
                        .addApiResponse("101", new ApiResponse().description("Switching Protocols: the stream starts"))
                        .addApiResponse("400", new ApiResponse().$ref("#/components/responses/BadRequest")));
    }

    private static Parameter query(String name, String description) {
        return new Parameter()
                .in("query")
                .name(name)
                .description(description)
                .required(false)
                .schema(new StringSchema());
    }

    private static Schema<?> problemSchema() {
        Map<String, Schema> properties = new LinkedHashMap<>();
        properties.put("type", new StringSchema().example("about:blank"));
        properties.put("title", new StringSchema().example("Invalid request"));
        properties.put("status", new IntegerSchema().example(400));
        properties.put("detail", new StringSchema().example("session id must match ^[A-Za-z0-9_-]{1,64}$"));
        properties.put("instance", new StringSchema().example("/sessions/not%20valid"));
        return new ObjectSchema().description("RFC 9457 problem detail").properties(properties);
    }

    private static ApiResponse problem(int status, String title, String detail) {
        Map<String, Object> example = new LinkedHashMap<>();
        example.put("type", "about:blank");
        example.put("title", title);
        example.put("status", status);
        example.put("detail", detail);
        example.put("instance", "/sessions/shop-1");
        return new ApiResponse()
                .description(title)
                .content(new Content()
                        .addMediaType(
                                PROBLEM_JSON,
                                new MediaType()
                                        .schema(new Schema<>().$ref("#/components/schemas/" + PROBLEM_SCHEMA))
                                        .addExamples(title, new Example().value(example))));
    }
}
