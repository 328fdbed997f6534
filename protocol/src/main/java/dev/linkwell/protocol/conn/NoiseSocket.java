package dev.linkwell.protocol.conn;

import dev.linkwell.protocol.ProtocolException;
import dev.linkwell.protocol.binary.BinaryFrames;
import dev.linkwell.protocol.binary.Node;
import dev.linkwell.protocol.binary.TokenDictionary;
import dev.linkwell.protocol.frame.FrameCodec;
import dev.linkwell.protocol.noise.NoiseException;
import dev.linkwell.protocol.noise.NoiseTransport;
import java.util.List;
import java.util.Objects;

/**
 * One connection's WhatsApp transport, for either side: 3-byte frames (with the client's intro once), the
 * Noise handshake messages in clear, then every node encrypted with the transport keys and encoded with
 * the token tables both sides agreed on (the client announces them in its intro; the engine speaks
 * {@link TokenDictionary#CURRENT}, the simulator answers each client in the version it announced).
 *
 * <p>It does no I/O: outbound bytes go to a {@link Wire} (one WebSocket binary message each) and inbound
 * bytes are handed to {@link #receive(byte[])} in arrival order. It is not thread-safe on purpose: one
 * connection's {@link Mailbox} drives it, so frames are encrypted and written in one order, which is what
 * keeps the GCM counters in step with the wire.
 */
public final class NoiseSocket {

    /** Where outbound bytes go: one WebSocket binary message per call, in call order. */
    @FunctionalInterface
    public interface Wire {
        void write(byte[] message);
    }

    /**
     * A frame decrypted but did not decode as a node: the connection itself is fine (the read counter moved
     * on), only this stanza is lost.
     */
    public static final class UndecodableNodeException extends ProtocolException {
        private final int length;

        UndecodableNodeException(int length, ProtocolException cause) {
            super("a stanza of " + length + " bytes does not decode: " + cause.getMessage(), cause);
            this.length = length;
        }

        /** Length of the decrypted frame. */
        public int length() {
            return length;
        }
    }

    private final FrameCodec.Encoder encoder;
    private final FrameCodec.Decoder decoder;
    private final Wire wire;
    private NoiseTransport transport;
    private TokenDictionary dictionary;

    private NoiseSocket(FrameCodec.Encoder encoder, FrameCodec.Decoder decoder, Wire wire) {
        this.encoder = encoder;
        this.decoder = decoder;
        this.wire = Objects.requireNonNull(wire, "wire");
    }

    /** The client side: {@code intro} goes out once, before the first frame. */
    public static NoiseSocket initiator(byte[] intro, Wire wire) {
        return new NoiseSocket(FrameCodec.clientEncoder(intro), FrameCodec.clientDecoder(), wire);
    }

    /** The server side: expects the client's intro (optionally after edge routing info) before its first frame. */
    public static NoiseSocket responder(Wire wire) {
        return new NoiseSocket(FrameCodec.serverEncoder(), FrameCodec.serverDecoder(), wire);
    }

    /**
     * Feeds bytes as they arrived (any split) and returns the complete frames, still encrypted once the
     * transport is up ({@link #open(byte[])} reads them).
     *
     * @throws ProtocolException on a bad intro or an oversized frame; the connection must end
     */
    public List<byte[]> receive(byte[] chunk) {
        return decoder.feed(chunk);
    }

    /** The intro the client sent (server side), or null before it arrived. */
    public byte[] peerIntro() {
        return decoder.intro();
    }

    /** Writes one handshake message, framed but not encrypted. */
    public void writeFrame(byte[] payload) {
        wire.write(encoder.encode(payload));
    }

    /** The handshake is done: from now on nodes are encrypted with {@code transport} and encoded with {@code tables}. */
    public void secure(NoiseTransport transport, TokenDictionary tables) {
        this.transport = Objects.requireNonNull(transport, "transport");
        this.dictionary = Objects.requireNonNull(tables, "tables");
    }

    public boolean secured() {
        return transport != null;
    }

    /** The token tables of this connection, or null before {@link #secure}. */
    public TokenDictionary dictionary() {
        return dictionary;
    }

    /** Encrypts, frames and writes one node. */
    public void send(Node node) {
        writeSecured(BinaryFrames.encodeFrame(node, requireSecured()));
    }

    /**
     * Writes {@code nodeBytes} as one transport frame (flag byte 0, then these bytes, encrypted) whether or
     * not they form a valid node: for tests of a peer that must cope with a stanza it cannot decode.
     */
    public void sendNodeBytes(byte[] nodeBytes) {
        requireSecured();
        byte[] frame = new byte[nodeBytes.length + 1];
        System.arraycopy(nodeBytes, 0, frame, 1, nodeBytes.length);
        writeSecured(frame);
    }

    /**
     * Decrypts and decodes one frame from {@link #receive}.
     *
     * @throws NoiseException when it does not decrypt: the link is broken and the connection must end
     * @throws UndecodableNodeException when it decrypts but is not a node in this connection's tables
     */
    public Node open(byte[] frame) {
        TokenDictionary tables = requireSecured();
        byte[] plain = transport.decrypt(frame);
        try {
            return BinaryFrames.decodeFrame(plain, tables);
        } catch (ProtocolException e) {
            throw new UndecodableNodeException(plain.length, e);
        }
    }

    private void writeSecured(byte[] plainFrame) {
        wire.write(encoder.encode(transport.encrypt(plainFrame)));
    }

    private TokenDictionary requireSecured() {
        if (transport == null) {
            throw new IllegalStateException("the Noise handshake is not done yet");
        }
        return dictionary;
    }
}
