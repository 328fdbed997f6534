package dev.linkwell.protocol.frame;

import dev.linkwell.protocol.ProtocolException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

/**
 * WhatsApp's transport framing (facts from Baileys 6.17.16 lib/Utils/noise-handler.js encodeFrame/decodeFrame
 * and whatsmeow socket/framesocket.go): every frame, both ways, is a 3-byte big-endian length followed by
 * the payload; the client's very first frame is preceded once by the 4-byte intro {@code 57 41 06 03}
 * ("WA", magic 6, dictionary version). Baileys 6.17.16 still sends dictionary version 2 and, when it holds
 * edge routing info from an earlier login, puts {@code "ED" 00 01 <3-byte length> <routing info>} before
 * the intro; the server-side decoder accepts both.
 *
 * <p>Encoders and decoders are small stateful objects, one per connection and direction; they are
 * thread-safe but meant to be driven by a single reader and a single writer.
 */
public final class FrameCodec {

    /** The intro the client sends before its first frame: "WA", magic 6, dictionary version 3. */
    public static final byte[] WA_INTRO = {0x57, 0x41, 0x06, 0x03};

    public static final int INTRO_SIZE = 4;
    public static final int LENGTH_SIZE = 3;
    /** The largest length a 3-byte prefix can carry (16 MiB - 1); also the default decoder limit. */
    public static final int MAX_FRAME_SIZE = 0xFF_FFFF;
    /** Dictionary versions a responder accepts in the intro by default (Baileys 6.17.16 sends 2, whatsmeow 3). */
    public static final Set<Integer> DEFAULT_DICTIONARY_VERSIONS = Set.of(2, 3);
    /** Upper bound on the edge-routing blob a responder accepts before the intro. */
    public static final int MAX_ROUTING_INFO_SIZE = 4096;

    private FrameCodec() {}

    /** The intro for a given dictionary version: {@code 57 41 06 <version>}. */
    public static byte[] intro(int dictionaryVersion) {
        if (dictionaryVersion < 0 || dictionaryVersion > 255) {
            throw new IllegalArgumentException("dictionary version must fit a byte");
        }
        return new byte[] {0x57, 0x41, 0x06, (byte) dictionaryVersion};
    }

    /** Client side: prefixes {@link #WA_INTRO} to the first frame. */
    public static Encoder clientEncoder() {
        return new Encoder(WA_INTRO);
    }

    /** Client side with an explicit intro (it must match what the Noise handshake mixes in). */
    public static Encoder clientEncoder(byte[] intro) {
        return new Encoder(intro.clone());
    }

    /** Server side: no intro. */
    public static Encoder serverEncoder() {
        return new Encoder(new byte[0]);
    }

    /** Client side: inbound frames from the server carry no intro. */
    public static Decoder clientDecoder() {
        return new Decoder(false, MAX_FRAME_SIZE, DEFAULT_DICTIONARY_VERSIONS);
    }

    /** Server side: expects and strips the client's intro (optionally preceded by edge routing info). */
    public static Decoder serverDecoder() {
        return new Decoder(true, MAX_FRAME_SIZE, DEFAULT_DICTIONARY_VERSIONS);
    }

    /** A decoder with a smaller frame limit and a chosen set of accepted dictionary versions. */
    public static Decoder decoder(boolean expectIntro, int maxFrameSize, Set<Integer> dictionaryVersions) {
        if (maxFrameSize < 0 || maxFrameSize > MAX_FRAME_SIZE) {
            throw new IllegalArgumentException("maxFrameSize must be within 0.." + MAX_FRAME_SIZE);
        }
        return new Decoder(expectIntro, maxFrameSize, Set.copyOf(dictionaryVersions));
    }

    /** Adds the length prefix (and, once, the intro). */
    public static final class Encoder {
        private final byte[] intro;
        private boolean introSent;

        private Encoder(byte[] intro) {
            this.intro = intro;
            this.introSent = intro.length == 0;
        }

        public synchronized byte[] encode(byte[] payload) {
            if (payload == null) {
                throw new IllegalArgumentException("payload missing");
            }
            if (payload.length > MAX_FRAME_SIZE) {
                throw new ProtocolException("frame of " + payload.length + " bytes exceeds the 3-byte length limit");
            }
            int introLength = introSent ? 0 : intro.length;
            byte[] out = new byte[introLength + LENGTH_SIZE + payload.length];
            System.arraycopy(intro, 0, out, 0, introLength);
            out[introLength] = (byte) (payload.length >>> 16);
            out[introLength + 1] = (byte) (payload.length >>> 8);
            out[introLength + 2] = (byte) payload.length;
            System.arraycopy(payload, 0, out, introLength + LENGTH_SIZE, payload.length);
            introSent = true;
            return out;
        }
    }

    /**
     * Incremental decoder: feed it bytes as they arrive (any split, several frames per chunk) and it
     * returns the complete frames. A length above the limit, a bad intro, or any call after a failure
     * is a {@link ProtocolException}; nothing is allocated for a declared length before its bytes arrive.
     */
    public static final class Decoder {
        private final int maxFrameSize;
        private final Set<Integer> dictionaryVersions;
        private boolean introPending;
        private byte[] intro;
        private byte[] routingInfo;
        private byte[] buffer = new byte[256];
        private int start;
        private int end;
        private boolean failed;

        private Decoder(boolean expectIntro, int maxFrameSize, Set<Integer> dictionaryVersions) {
            this.introPending = expectIntro;
            this.maxFrameSize = maxFrameSize;
            this.dictionaryVersions = dictionaryVersions;
        }

        public List<byte[]> feed(byte[] chunk) {
            return feed(chunk, 0, chunk.length);
        }

        public synchronized List<byte[]> feed(byte[] chunk, int offset, int length) {
            if (failed) {
                throw new ProtocolException("frame decoder already failed; the connection must be closed");
            }
            if (offset < 0 || length < 0 || offset + length > chunk.length) {
                throw new IndexOutOfBoundsException("bad chunk range");
            }
            try {
                append(chunk, offset, length);
                List<byte[]> frames = new ArrayList<>();
                if (introPending && !readIntro()) {
                    return frames;
                }
                while (end - start >= LENGTH_SIZE) {
                    int size = ((buffer[start] & 0xff) << 16)
                            | ((buffer[start + 1] & 0xff) << 8)
                            | (buffer[start + 2] & 0xff);
                    if (size > maxFrameSize) {
                        throw new ProtocolException("frame length " + size + " exceeds the limit of " + maxFrameSize);
                    }
                    if (end - start - LENGTH_SIZE < size) {
                        break;
                    }
                    frames.add(Arrays.copyOfRange(buffer, start + LENGTH_SIZE, start + LENGTH_SIZE + size));
                    start += LENGTH_SIZE + size;
                }
                compact();
                return frames;
            } catch (ProtocolException e) {
                failed = true;
                buffer = new byte[0];
                start = end = 0;
                throw e;
            }
        }

        /** The 4-byte intro received from the client (for the Noise prologue), or null before it arrived. */
        public synchronized byte[] intro() {
            return intro == null ? null : intro.clone();
        }

        /** Edge routing info that preceded the intro, or null when there was none. */
        public synchronized byte[] routingInfo() {
            return routingInfo == null ? null : routingInfo.clone();
        }

        /** Bytes held for an incomplete frame. */
        public synchronized int buffered() {
            return end - start;
        }

        private boolean readIntro() {
            int available = end - start;
            int pos = start;
            byte[] routing = null;
            if (available >= 1 && buffer[pos] == 'E') {
                if (available < 7) {
                    checkPrefix(new byte[] {'E', 'D', 0, 1}, available);
                    return false;
                }
                checkPrefix(new byte[] {'E', 'D', 0, 1}, 4);
                int size =
                        ((buffer[pos + 4] & 0xff) << 16) | ((buffer[pos + 5] & 0xff) << 8) | (buffer[pos + 6] & 0xff);
                if (size > MAX_ROUTING_INFO_SIZE) {
                    throw new ProtocolException(
                            "edge routing info of " + size + " bytes exceeds " + MAX_ROUTING_INFO_SIZE);
                }
                if (available < 7 + size) {
                    return false;
                }
                routing = Arrays.copyOfRange(buffer, pos + 7, pos + 7 + size);
                pos += 7 + size;
                available -= 7 + size;
            }
            if (available < INTRO_SIZE) {
                for (int i = 0; i < available; i++) {
                    checkIntroByte(i, buffer[pos + i]);
                }
                return false;
            }
            for (int i = 0; i < INTRO_SIZE; i++) {
                checkIntroByte(i, buffer[pos + i]);
            }
            intro = Arrays.copyOfRange(buffer, pos, pos + INTRO_SIZE);
            routingInfo = routing;
            start = pos + INTRO_SIZE;
            introPending = false;
            return true;
        }

        private void checkPrefix(byte[] expected, int count) {
            for (int i = 0; i < count && i < expected.length; i++) {
                if (buffer[start + i] != expected[i]) {
                    throw new ProtocolException("bad edge routing header before the intro");
                }
            }
        }

        private void checkIntroByte(int index, byte value) {
            boolean ok = switch (index) {
                case 0 -> value == 'W';
                case 1 -> value == 'A';
                case 2 -> value == 6;
                default -> dictionaryVersions.contains(value & 0xff);
            };
            if (!ok) {
                throw new ProtocolException(
                        index == 3
                                ? "unsupported dictionary version " + (value & 0xff) + " in the intro"
                                : "connection did not start with the WA intro");
            }
        }

        private void append(byte[] chunk, int offset, int length) {
            if (length == 0) {
                return;
            }
            if (buffer.length - end < length) {
                int live = end - start;
                long needed = (long) live + length;
                if (needed > Integer.MAX_VALUE - 16) {
                    throw new ProtocolException("inbound buffer overflow");
                }
                byte[] grown =
                        new byte[(int) Math.max(needed, Math.min((long) buffer.length * 2, Integer.MAX_VALUE - 16))];
                System.arraycopy(buffer, start, grown, 0, live);
                buffer = grown;
                start = 0;
                end = live;
            }
            System.arraycopy(chunk, offset, buffer, end, length);
            end += length;
        }

        private void compact() {
            if (start == end) {
                start = end = 0;
                if (buffer.length > 64 * 1024) {
                    buffer = new byte[256];
                }
            }
        }
    }
}
