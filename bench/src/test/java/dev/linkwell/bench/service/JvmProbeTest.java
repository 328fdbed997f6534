package dev.linkwell.bench.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** {@code GC.heap_info} as Temurin 25 prints it for each collector the service may run with. */
class JvmProbeTest {

    @Test
    void g1SaysHowMuchOfItsHeapIsUsed() {
        String g1 = """
                32126:
                garbage-first heap   total reserved 262144K, committed 262144K, used 12358K [0x00000000f0000000, \
                0x0000000100000000)
                 region size 1024K, 10 young (10240K), 2 survivors (2048K)
                """;
        assertThat(JvmProbe.heapUsed(g1)).isEqualTo(12358L * 1024);
    }

    @Test
    void withOneCoreTheJvmRunsTheSerialCollectorAndItsGenerationsAreAddedUp() {
        String serial = """
                31863:
                DefNew     total 116224K, used 2067K [0x00000000e0000000, 0x00000000e7e10000, 0x00000000eaaa0000)
                 eden space 103360K,   2% used [0x00000000e0000000, 0x00000000e0204d38, 0x00000000e64f0000)
                 from space 12864K,   0% used [0x00000000e64f0000, 0x00000000e64f0000, 0x00000000e7180000)
                 to   space 12864K,   0% used [0x00000000e7180000, 0x00000000e7180000, 0x00000000e7e10000)
                Tenured    total 258048K, used 32089K [0x00000000eaaa0000, 0x00000000fa6a0000, 0x0000000100000000)
                 the  space 258048K,  12% used [0x00000000eaaa0000, 0x00000000ec9f6678, 0x00000000fa6a0000)
                """;
        assertThat(JvmProbe.heapUsed(serial)).isEqualTo((2067L + 32089L) * 1024);
    }

    @Test
    void theParallelCollectorsGenerationsAreAddedUpToo() {
        String parallel = """
                32167:
                PSYoungGen      total 76288K, used 27642K [0x00000000fab00000, 0x0000000100000000, 0x0000000100000000)
                 eden space 65536K, 42% used [0x00000000fab00000,0x00000000fc5fe9d8,0x00000000feb00000)
                ParOldGen       total 175104K, used 1166K [0x00000000f0000000, 0x00000000fab00000, 0x00000000fab00000)
                 object space 175104K, 0% used [0x00000000f0000000,0x00000000f0123ab8,0x00000000fab00000)
                """;
        assertThat(JvmProbe.heapUsed(parallel)).isEqualTo((27642L + 1166L) * 1024);
    }

    @Test
    void anAnswerWithoutAHeapFigureIsAnErrorNotAZero() {
        assertThatThrownBy(() -> JvmProbe.heapUsed("31863:\nCould not attach to 31863\n"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("no heap figure");
        // one generation alone is half a heap
        assertThatThrownBy(() -> JvmProbe.heapUsed("DefNew     total 116224K, used 2067K [0x0, 0x1, 0x2)\n"))
                .hasMessageContaining("no heap figure");
    }
}
