package dev.linkwell.service.web;

import dev.linkwell.service.security.CallerHandshakeInterceptor;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.socket.config.annotation.EnableWebSocket;
import org.springframework.web.socket.config.annotation.WebSocketConfigurer;
import org.springframework.web.socket.config.annotation.WebSocketHandlerRegistry;

/**
 * Registers {@code /ws/events}, keeping the caller of the handshake (its API key) for the handler.
 * Spring's default origin check stays on: browsers may connect only from pages served by this
 * service; clients that send no Origin header (servers, CLIs) are not affected.
 */
@Configuration(proxyBeanMethods = false)
@EnableWebSocket
class WebSocketConfiguration implements WebSocketConfigurer {

    private final EventWebSocketHandler handler;

    WebSocketConfiguration(EventWebSocketHandler handler) {
        this.handler = handler;
    }

    @Override
    public void registerWebSocketHandlers(WebSocketHandlerRegistry registry) {
        registry.addHandler(handler, "/ws/events").addInterceptors(new CallerHandshakeInterceptor());
    }
}
