package dev.linkwell.service.simulator;

import dev.linkwell.simulator.AdminApi;
import io.swagger.v3.oas.annotations.Hidden;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Mounts the simulator's transport-independent admin API ({@link AdminApi}) under {@code /simulator}
 * on the service's own port: {@code GET /simulator/phones} is {@code GET /phones} of the simulator.
 * Present only in demo mode (see {@link EmbeddedSimulatorConfiguration}).
 */
@RestController
@Hidden // a pass-through to the simulator's own admin API, documented in docs/simulator.md
@ConditionalOnClass(name = "dev.linkwell.simulator.WaSimulator")
@ConditionalOnProperty(name = "linkwell.simulator.mode", havingValue = "embedded")
@RequestMapping("/simulator")
class SimulatorAdminController {

    static final String PREFIX = "/simulator";

    private final AdminApi api;

    SimulatorAdminController(AdminApi api) {
        this.api = api;
    }

    @RequestMapping({"", "/", "/**"})
    ResponseEntity<byte[]> handle(HttpServletRequest request, @RequestBody(required = false) byte[] body) {
        String uri = request.getRequestURI().substring(request.getContextPath().length());
        String path = uri.length() > PREFIX.length() ? uri.substring(PREFIX.length()) : "/";
        if (request.getQueryString() != null) {
            path = path + "?" + request.getQueryString();
        }
        AdminApi.AdminResponse response = api.handle(request.getMethod(), path, body);
        return ResponseEntity.status(response.status())
                .contentType(MediaType.APPLICATION_JSON)
                .body(response.body());
    }
}
