package dev.linkwell.bench;

import dev.linkwell.protocol.crypto.KeyPair;
import dev.linkwell.protocol.crypto.XEdDSA;
import dev.linkwell.protocol.frame.FrameCodec;
import dev.linkwell.protocol.noise.CertificateMinter;
import dev.linkwell.protocol.noise.CertificateVerifier;
import dev.linkwell.protocol.noise.NoiseInitiator;
import dev.linkwell.protocol.noise.NoiseResponder;
import dev.linkwell.protocol.noise.NoiseTransport;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Cost of one full Noise XX handshake (both roles, in memory, including the strict certificate
 * chain check on the client side), of one transport frame round trip, and of XEdDSA.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class NoiseHandshakeBenchmark {

    private KeyPair serverStatic;
    private KeyPair clientStatic;
    private byte[] certChain;
    private CertificateVerifier verifier;
    private byte[] clientPayload;
    private NoiseTransport clientTransport;
    private NoiseTransport serverTransport;
    private byte[] frame;
    private byte[] signature;
    private final byte[] message = new byte[64];

    @Setup
    public void setUp() {
        KeyPair root = KeyPair.generate();
        CertificateMinter minter = new CertificateMinter(root);
        serverStatic = KeyPair.generate();
        clientStatic = KeyPair.generate();
        certChain = minter.mint(serverStatic.publicKey());
        verifier = CertificateVerifier.of(minter.trustAnchor());
        clientPayload = new byte[120];
        NoiseTransport[] pair = handshakeTransports();
        clientTransport = pair[0];
        serverTransport = pair[1];
        frame = new byte[512];
        signature = XEdDSA.sign(clientStatic.privateKey(), message);
    }

    @Benchmark
    public NoiseTransport[] fullHandshake() {
        return handshakeTransports();
    }

    @Benchmark
    public byte[] transportRoundTrip512() {
        return serverTransport.decrypt(clientTransport.encrypt(frame));
    }

    @Benchmark
    public byte[] xeddsaSign() {
        return XEdDSA.sign(clientStatic.privateKey(), message);
    }

    @Benchmark
    public boolean xeddsaVerify() {
        return XEdDSA.verify(clientStatic.publicKey(), message, signature);
    }

    private NoiseTransport[] handshakeTransports() {
        NoiseInitiator client = new NoiseInitiator(clientStatic, verifier);
        NoiseResponder server = new NoiseResponder(serverStatic, certChain);
        server.processClientHello(FrameCodec.WA_INTRO, client.clientHello());
        client.processServerHello(server.serverHello());
        server.processClientFinish(client.clientFinish(clientPayload));
        return new NoiseTransport[] {client.transport(), server.transport()};
    }
}
