package dev.linkwell.service.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.linkwell.service.support.Api;
import dev.linkwell.service.support.ServiceTest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;

/** The page as served: told that no key is needed and no simulator runs, locked to its own origin's files. */
@ServiceTest
class DashboardPageTest {

    @LocalServerPort
    int port;

    @Test
    void thePageSaysWhatItMayUseAndLoadsOnlyFromThisService() {
        HttpResponse<String> page = new Api(port).get("/");

        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body())
                .contains("<body data-auth=\"open\" data-demo=\"false\">")
                .contains("<script type=\"module\" src=\"/ui/dashboard.js\"></script>")
                .contains("<link rel=\"stylesheet\" href=\"/ui/dashboard.css\">")
                .doesNotContain("{{", "<script>", " style=", "http://", "https://");
        assertThat(page.headers().firstValue("Content-Security-Policy"))
                .hasValue(DashboardConfiguration.CONTENT_SECURITY_POLICY);
        assertThat(DashboardConfiguration.CONTENT_SECURITY_POLICY)
                .contains("default-src 'none'", "script-src 'self';", "connect-src 'self'", "frame-ancestors 'none'")
                .doesNotContain("unsafe");
        assertThat(page.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");
        assertThat(page.headers().firstValue("Cache-Control")).hasValue("no-cache");
        assertThat(new Api(port).get("/ui").body()).isEqualTo(page.body());
    }

    @Test
    void theScriptAndStyleSheetAreInTheJar() {
        Api api = new Api(port);
        HttpResponse<String> script = api.get("/ui/dashboard.js");
        HttpResponse<String> style = api.get("/ui/dashboard.css");

        assertThat(script.statusCode()).isEqualTo(200);
        assertThat(script.body())
                .contains("new EventSource(")
                .doesNotContain("innerHTML", "eval(", "http://", "https://");
        assertThat(style.statusCode()).isEqualTo(200);
        assertThat(style.body()).contains("prefers-color-scheme: dark").doesNotContain("@import", "url(");
    }
}
