package dev.linkwell.simulator;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/** A thin JDK {@link HttpServer} adapter around {@link AdminApi}, for running the simulator on its own. */
public final class AdminHttpServer implements AutoCloseable {

    private final HttpServer server;
    private final ExecutorService executor;

    private AdminHttpServer(HttpServer server, ExecutorService executor) {
        this.server = server;
        this.executor = executor;
    }

    /** Serves {@code api} at the root of {@code host:port} (port 0 picks a free one). */
    public static AdminHttpServer start(AdminApi api, String host, int port) {
        HttpServer server;
        try {
            server = HttpServer.create(new InetSocketAddress(host, port), 64);
        } catch (IOException e) {
            throw new IllegalStateException("cannot bind admin API on " + host + ":" + port + ": " + e.getMessage(), e);
        }
        ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
        server.setExecutor(executor);
        server.createContext("/", exchange -> serve(api, exchange));
        server.start();
        return new AdminHttpServer(server, executor);
    }

    private static void serve(AdminApi api, HttpExchange exchange) throws IOException {
        try (exchange) {
            // at most one byte more than allowed is read: enough for the API to answer 413
            byte[] body = exchange.getRequestBody().readNBytes(AdminApi.MAX_BODY + 1);
            AdminApi.AdminResponse response = api.handle(
                    exchange.getRequestMethod(), exchange.getRequestURI().getRawPath(), body);
            byte[] out = response.body();
            exchange.getResponseHeaders().set("Content-Type", "application/json; charset=utf-8");
            exchange.sendResponseHeaders(response.status(), out.length);
            exchange.getResponseBody().write(out);
        }
    }

    public int port() {
        return server.getAddress().getPort();
    }

    /** {@code http://host:port} without a trailing slash. */
    public String url() {
        String host = server.getAddress().getAddress().getHostAddress();
        if (host.contains(":")) {
            host = "[" + host + "]";
        }
        return "http://" + host + ":" + port();
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
