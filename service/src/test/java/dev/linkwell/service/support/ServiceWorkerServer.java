package dev.linkwell.service.support;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;

/** A stand-in for {@code https://web.whatsapp.com/sw.js} on loopback: names a client_revision, counts requests. */
public final class ServiceWorkerServer implements AutoCloseable {

    private final HttpServer server;
    private final AtomicInteger requests = new AtomicInteger();
    private volatile int status = 200;
    private volatile int revision;

    public ServiceWorkerServer(int revision) {
        this.revision = revision;
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.createContext("/sw.js", exchange -> {
            requests.incrementAndGet();
            byte[] body = ("self.__swData={\"client_revision\":" + revision + ",\"push_phase\":\"C3\"};")
                    .getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(status, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        server.start();
    }

    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/sw.js";
    }

    /** How many times sw.js was asked for. */
    public int requests() {
        return requests.get();
    }

    /** Answer with this HTTP status from now on. */
    public void status(int status) {
        this.status = status;
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
