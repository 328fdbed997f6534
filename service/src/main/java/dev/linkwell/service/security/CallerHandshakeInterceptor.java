package dev.linkwell.service.security;

import java.util.Map;
import org.springframework.http.server.ServerHttpRequest;
import org.springframework.http.server.ServerHttpResponse;
import org.springframework.http.server.ServletServerHttpRequest;
import org.springframework.web.socket.WebSocketHandler;
import org.springframework.web.socket.server.HandshakeInterceptor;

/** Hands the caller of the WebSocket handshake request (see {@link ApiKeyFilter}) to the socket's attributes. */
public class CallerHandshakeInterceptor implements HandshakeInterceptor {

    @Override
    public boolean beforeHandshake(
            ServerHttpRequest request,
            ServerHttpResponse response,
            WebSocketHandler handler,
            Map<String, Object> attributes) {
        if (request instanceof ServletServerHttpRequest servlet) {
            attributes.put(Caller.ATTRIBUTE, Caller.of(servlet.getServletRequest()));
        }
        return true;
    }

    @Override
    public void afterHandshake(
            ServerHttpRequest request, ServerHttpResponse response, WebSocketHandler handler, Exception exception) {
        // nothing to do after the upgrade
    }

    /** The caller stored by {@link #beforeHandshake}. */
    public static Caller of(Map<String, Object> attributes) {
        if (attributes.get(Caller.ATTRIBUTE) instanceof Caller caller) {
            return caller;
        }
        throw new IllegalStateException(
                "no caller on the WebSocket session; is CallerHandshakeInterceptor registered?");
    }
}
