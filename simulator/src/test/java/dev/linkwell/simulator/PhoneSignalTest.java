package dev.linkwell.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import dev.linkwell.protocol.signal.CiphertextType;
import dev.linkwell.protocol.signal.EncryptedMessage;
import dev.linkwell.protocol.signal.IdentityKey;
import dev.linkwell.protocol.signal.InMemorySignalStore;
import dev.linkwell.protocol.signal.PreKeyBundle;
import dev.linkwell.protocol.signal.SessionCipher;
import dev.linkwell.protocol.signal.SignalAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A phone's own Signal side: its identity is the account key, its prekeys are handed out once, and it all persists. */
class PhoneSignalTest {

    private static final SignalAddress PHONE = SignalAddress.parse("5511988880000.0");
    private static final SignalAddress DEVICE = SignalAddress.parse("5511988880000.1");

    @TempDir
    Path dir;

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static String text(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }

    @Test
    void aPhonesSessionsPrekeysAndIdentitySurviveARestartOfTheSimulator() {
        InMemorySignalStore deviceStore = InMemorySignalStore.generate(0, new SecureRandom());
        SessionCipher device = new SessionCipher(deviceStore);
        int registrationId;
        PreKeyBundle first;
        try (WaSimulator sim = WaSimulator.start(SimulatorConfig.defaults(), dir)) {
            Phone phone = sim.addPhone("5511988880000");
            PhoneSignal signal = phone.signal();
            assertThat(signal.identityKey()).isEqualTo(IdentityKey.of(phone.accountPublicKey()));
            registrationId = signal.registrationId();

            first = signal.fetchBundle();
            PreKeyBundle second = signal.fetchBundle();
            assertThat(first.preKeyId()).isPresent();
            assertThat(second.preKeyId())
                    .as("each one-time prekey is handed out once")
                    .isNotEqualTo(first.preKeyId());
            assertThat(first.registrationId()).isEqualTo(registrationId);

            device.processPreKeyBundle(PHONE, first);
            EncryptedMessage hello = device.encrypt(PHONE, utf8("hello phone"));
            assertThat(hello.type()).isEqualTo(CiphertextType.PKMSG);
            assertThat(text(signal.sessions()
                            .decrypt(DEVICE, hello.type(), hello.body())
                            .plaintext()))
                    .isEqualTo("hello phone");
            EncryptedMessage reply = signal.sessions().encrypt(DEVICE, utf8("hello device"));
            assertThat(text(device.decrypt(PHONE, reply.type(), reply.body()).plaintext()))
                    .isEqualTo("hello device");
        }

        try (WaSimulator sim = WaSimulator.start(SimulatorConfig.defaults(), dir)) {
            PhoneSignal signal = sim.phones().get(0).signal();
            assertThat(signal.registrationId()).isEqualTo(registrationId);
            assertThat(signal.store().preKey(first.preKeyId().getAsInt()))
                    .as("the used prekey is deleted")
                    .isEmpty();
            assertThat(signal.fetchBundle().preKeyId().getAsInt())
                    .as("handed-out prekeys stay handed out")
                    .isGreaterThan(first.preKeyId().getAsInt() + 1);
            EncryptedMessage next = device.encrypt(PHONE, utf8("still there?"));
            assertThat(next.type()).isEqualTo(CiphertextType.MSG);
            assertThat(text(signal.sessions()
                            .decrypt(DEVICE, next.type(), next.body())
                            .plaintext()))
                    .isEqualTo("still there?");
            EncryptedMessage answer = signal.sessions().encrypt(DEVICE, utf8("yes"));
            assertThat(text(device.decrypt(PHONE, answer.type(), answer.body()).plaintext()))
                    .isEqualTo("yes");
        }
    }

    @Test
    void aPhoneThatRunsOutOfHandedOutPrekeysUploadsMore() {
        try (WaSimulator sim = WaSimulator.start(SimulatorConfig.defaults())) {
            PhoneSignal signal = sim.addPhone("5511988880001").signal();
            java.util.Set<Integer> ids = new java.util.HashSet<>();
            for (int i = 0; i < PhoneSignal.PRE_KEY_BATCH * 2 + 1; i++) {
                PreKeyBundle b = signal.fetchBundle();
                assertThat(ids.add(b.preKeyId().getAsInt())).isTrue();
                assertThat(signal.store().preKey(b.preKeyId().getAsInt())).isPresent();
            }
        }
    }
}
