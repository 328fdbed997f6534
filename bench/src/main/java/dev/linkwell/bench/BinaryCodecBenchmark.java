package dev.linkwell.bench;

import dev.linkwell.protocol.binary.BinaryDecoder;
import dev.linkwell.protocol.binary.BinaryEncoder;
import dev.linkwell.protocol.binary.Node;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Encode and decode throughput of binary nodes shaped like real traffic: a small iq (ping), an inbound
 * message with an encrypted payload, and a prekey upload with many children.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class BinaryCodecBenchmark {

    @Param({"ping", "message", "prekeys"})
    public String shape;

    private Node node;
    private byte[] encoded;

    @Setup
    public void setUp() {
        node = switch (shape) {
            case "ping" ->
                Node.withChildren(
                        "iq",
                        Map.of("id", "3EB0A1B2C3D4", "to", "s.whatsapp.net", "type", "get", "xmlns", "w:p"),
                        List.of(Node.of("ping")));
            case "message" ->
                Node.withChildren(
                        "message",
                        Map.of(
                                "id",
                                "3EB0F00DBA5EBA11",
                                "from",
                                "51987654321@s.whatsapp.net",
                                "t",
                                "1764057600",
                                "type",
                                "text",
                                "notify",
                                "Ana"),
                        List.of(Node.withBytes("enc", Map.of("v", "2", "type", "msg"), filled(180))));
            case "prekeys" -> prekeyUpload(30);
            default -> throw new IllegalArgumentException(shape);
        };
        encoded = BinaryEncoder.encode(node);
    }

    @Benchmark
    public byte[] encode() {
        return BinaryEncoder.encode(node);
    }

    @Benchmark
    public Node decode() {
        return BinaryDecoder.decode(encoded);
    }

    private static Node prekeyUpload(int count) {
        List<Node> keys = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            keys.add(Node.withChildren(
                    "key",
                    Map.of(),
                    List.of(
                            Node.withBytes("id", Map.of(), new byte[] {0, 0, (byte) i}),
                            Node.withBytes("value", Map.of(), filled(32)))));
        }
        return Node.withChildren(
                "iq",
                Map.of("id", "7", "xmlns", "encrypt", "type", "set", "to", "s.whatsapp.net"),
                List.of(
                        Node.withBytes("registration", Map.of(), filled(4)),
                        Node.withBytes("type", Map.of(), new byte[] {5}),
                        Node.withBytes("identity", Map.of(), filled(32)),
                        Node.withChildren("list", Map.of(), keys)));
    }

    private static byte[] filled(int size) {
        byte[] bytes = new byte[size];
        for (int i = 0; i < size; i++) {
            bytes[i] = (byte) (i * 31 + 7);
        }
        return bytes;
    }
}
