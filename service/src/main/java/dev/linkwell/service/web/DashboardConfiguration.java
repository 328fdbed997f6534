package dev.linkwell.service.web;

import dev.linkwell.service.security.ApiKeys;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.core.io.ClassPathResource;
import org.springframework.http.CacheControl;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.util.ClassUtils;
import org.springframework.web.servlet.function.RequestPredicate;
import org.springframework.web.servlet.function.RequestPredicates;
import org.springframework.web.servlet.function.RouterFunction;
import org.springframework.web.servlet.function.RouterFunctions;
import org.springframework.web.servlet.function.ServerResponse;

/**
 * The dashboard: {@code GET /} and {@code /ui} answer one HTML page whose script and style sheet are
 * static resources under {@code /ui/}. The page holds no data (the API key filter lets it load without a
 * key); it is told only whether to ask for a key and whether the embedded simulator is there, so it never
 * has to provoke a 401 or a 404 to find out. A functional route rather than a controller: the page is not
 * part of the JSON API the OpenAPI document describes. See docs/adr/0011-dashboard.md.
 */
@Configuration(proxyBeanMethods = false)
class DashboardConfiguration {

    static final String TEMPLATE = "templates/dashboard.html";
    /** Everything the page needs comes from this service; nothing inline, so injected markup cannot run. */
    static final String CONTENT_SECURITY_POLICY = "default-src 'none'; script-src 'self'; style-src 'self'; "
            + "img-src 'self' blob: data:; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

    @Bean
    RouterFunction<ServerResponse> dashboardPage(ApiKeys keys, Environment environment) {
        String page = render(keys.enabled(), demoMode(environment));
        RequestPredicate reading = RequestPredicates.methods(HttpMethod.GET, HttpMethod.HEAD);
        return RouterFunctions.route(
                reading.and(RequestPredicates.path("/").or(RequestPredicates.path("/ui"))), request -> page(page));
    }

    private static ServerResponse page(String page) {
        return ServerResponse.ok()
                .contentType(new MediaType(MediaType.TEXT_HTML, StandardCharsets.UTF_8))
                .cacheControl(CacheControl.noCache())
                .header("Content-Security-Policy", CONTENT_SECURITY_POLICY)
                .header("X-Content-Type-Options", "nosniff")
                .header("Referrer-Policy", "no-referrer")
                .body(page);
    }

    /** The same conditions that mount the simulator's admin API under /simulator. */
    private static boolean demoMode(Environment environment) {
        return "embedded".equals(environment.getProperty("linkwell.simulator.mode"))
                && ClassUtils.isPresent(
                        "dev.linkwell.simulator.WaSimulator", DashboardConfiguration.class.getClassLoader());
    }

    static String render(boolean keyRequired, boolean demo) {
        String template;
        try (InputStream in = new ClassPathResource(TEMPLATE).getInputStream()) {
            template = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("the dashboard page " + TEMPLATE + " is missing from the jar", e);
        }
        return template.replace("{{auth}}", keyRequired ? "key" : "open").replace("{{demo}}", Boolean.toString(demo));
    }
}
