package dev.linkwell.service.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** A TCP server on loopback that accepts connections, holds them open and never sends a byte. */
public final class MuteServer implements AutoCloseable {

    private final ServerSocket socket;
    private final List<Socket> held = new CopyOnWriteArrayList<>();
    private final Thread acceptor;

    public MuteServer() {
        try {
            socket = new ServerSocket(0, 10, InetAddress.getLoopbackAddress());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        acceptor = Thread.ofVirtual().start(() -> {
            try {
                while (true) {
                    held.add(socket.accept());
                }
            } catch (IOException closed) {
                // close() ends the loop
            }
        });
    }

    /** A WebSocket URL that leads here. */
    public String webSocketUrl() {
        return "ws://127.0.0.1:" + socket.getLocalPort() + "/ws/chat";
    }

    /** How many connections it accepted. */
    public int accepted() {
        return held.size();
    }

    @Override
    public void close() throws IOException, InterruptedException {
        socket.close();
        acceptor.join(5000);
        for (Socket s : held) {
            s.close();
        }
    }
}
