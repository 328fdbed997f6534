package dev.linkwell.service.engine.nativeengine;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A TCP relay between the engine and the simulator that can "freeze" its current connections: bytes
 * stop flowing both ways but the sockets stay open, like a network path that silently died (no FIN,
 * no RST). New connections made after a freeze flow normally. Test-only network fault injection.
 */
final class FreezingProxy implements AutoCloseable {

    private final ServerSocket server;
    private final InetSocketAddress target;
    private final Set<Pipe> pipes = ConcurrentHashMap.newKeySet();
    private volatile boolean closed;

    FreezingProxy(InetSocketAddress target) throws IOException {
        this.target = target;
        this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread.ofVirtual().name("proxy-accept").start(this::acceptLoop);
    }

    int port() {
        return server.getLocalPort();
    }

    /** Stops every current connection from carrying data, without closing it. */
    void freezeAll() {
        pipes.forEach(p -> p.frozen = true);
    }

    private void acceptLoop() {
        while (!closed) {
            try {
                Socket client = server.accept();
                Socket upstream = new Socket(target.getAddress(), target.getPort());
                Pipe pipe = new Pipe(client, upstream);
                pipes.add(pipe);
                Thread.ofVirtual().start(() -> pipe.copy(client, upstream));
                Thread.ofVirtual().start(() -> pipe.copy(upstream, client));
            } catch (IOException e) {
                if (!closed) {
                    continue;
                }
                return;
            }
        }
    }

    private final class Pipe {
        final Socket a;
        final Socket b;
        volatile boolean frozen;

        Pipe(Socket a, Socket b) {
            this.a = a;
            this.b = b;
        }

        void copy(Socket from, Socket to) {
            byte[] buf = new byte[16 * 1024];
            try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                int n;
                while ((n = in.read(buf)) >= 0) {
                    if (!frozen) {
                        out.write(buf, 0, n);
                        out.flush();
                    }
                }
            } catch (IOException ignored) {
                // one side went away
            } finally {
                close();
            }
        }

        void close() {
            pipes.remove(this);
            try {
                a.close();
            } catch (IOException ignored) {
            }
            try {
                b.close();
            } catch (IOException ignored) {
            }
        }
    }

    @Override
    public void close() throws IOException {
        closed = true;
        server.close();
        pipes.forEach(Pipe::close);
    }
}
