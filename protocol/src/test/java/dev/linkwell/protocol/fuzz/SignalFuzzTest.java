package dev.linkwell.protocol.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import dev.linkwell.protocol.ProtocolException;
import dev.linkwell.protocol.signal.CiphertextType;
import dev.linkwell.protocol.signal.GroupCipher;
import dev.linkwell.protocol.signal.IdentityKey;
import dev.linkwell.protocol.signal.IdentityPolicy;
import dev.linkwell.protocol.signal.InMemorySignalStore;
import dev.linkwell.protocol.signal.PreKeyRecord;
import dev.linkwell.protocol.signal.SenderKeyName;
import dev.linkwell.protocol.signal.SessionCipher;
import dev.linkwell.protocol.signal.SignalAddress;
import dev.linkwell.protocol.signal.SignalStoreUpdate;
import dev.linkwell.protocol.signal.SignedPreKeyRecord;
import dev.linkwell.protocol.signal.WhatsAppPadding;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

/**
 * Fuzzing ({@link Fuzzer}) of everything in the Signal layer that reads bytes: the three message kinds
 * and distribution messages as they arrive from peers, WhatsApp padding, and every kind of stored state
 * (a corrupted store must give typed errors too). Only {@link ProtocolException} may come out. Targets
 * that do curve arithmetic per input run a share of {@code fuzz.iterations}.
 */
class SignalFuzzTest {

    private static final SignalAddress PHONE = new SignalAddress("5511999990000", 0);
    private static final SignalAddress DEVICE = new SignalAddress("5511999990000", 4);
    private static final SenderKeyName GROUP_SENDER = new SenderKeyName("120363000000000001@g.us", PHONE);

    /** Every key comes from this seeded generator, so a seed replays exactly. */
    private final SecureRandom keys = Fuzzer.seeded(Fuzzer.SEED);

    private final InMemorySignalStore phoneStore = InMemorySignalStore.generate(0, keys);
    private final InMemorySignalStore deviceStore = InMemorySignalStore.generate(5, keys);
    private final SessionCipher phone = new SessionCipher(phoneStore, IdentityPolicy.TRUST_ON_FIRST_USE, keys);
    private final SessionCipher device = new SessionCipher(deviceStore, IdentityPolicy.TRUST_ON_FIRST_USE, keys);

    @Test
    void ratchetMessagesOnlyThrowProtocolException() {
        establish();
        byte[] valid = phone.encrypt(DEVICE, utf8("a ratchet message")).body();
        int runs = Fuzzer.run("signal msg", valid, Fuzzer.ITERATIONS / 4, input -> device.decryptMessage(PHONE, input));
        assertThat(runs).isGreaterThanOrEqualTo(Math.min(Fuzzer.ITERATIONS / 4, 1_000));
    }

    @Test
    void preKeyMessagesOnlyThrowProtocolException() {
        phone.processPreKeyBundle(DEVICE, deviceStore.bundle(1, OptionalInt.of(2)));
        byte[] valid = phone.encrypt(DEVICE, utf8("a pre-key message")).body();
        int runs = Fuzzer.run(
                "signal pkmsg",
                valid,
                Fuzzer.ITERATIONS / 4,
                input -> device.decrypt(PHONE, CiphertextType.PKMSG, input));
        assertThat(runs).isGreaterThanOrEqualTo(Math.min(Fuzzer.ITERATIONS / 4, 1_000));
    }

    @Test
    void groupMessagesOnlyThrowProtocolException() {
        GroupCipher sender = new GroupCipher(phoneStore, keys);
        GroupCipher receiver = new GroupCipher(deviceStore, keys);
        byte[] skdm = sender.distributionMessage(GROUP_SENDER);
        receiver.processDistributionMessage(GROUP_SENDER, skdm);
        byte[] valid = sender.encrypt(GROUP_SENDER, utf8("a group message"));
        int runs = Fuzzer.run(
                "signal skmsg", valid, Fuzzer.ITERATIONS / 4, input -> receiver.decrypt(GROUP_SENDER, input));
        assertThat(runs).isGreaterThanOrEqualTo(Math.min(Fuzzer.ITERATIONS / 4, 1_000));

        InMemorySignalStore scratch = InMemorySignalStore.generate(0, keys);
        GroupCipher other = new GroupCipher(scratch, keys);
        int skdmRuns = Fuzzer.run("signal skdm", skdm, Fuzzer.ITERATIONS / 5, input -> {
            other.processDistributionMessage(GROUP_SENDER, input);
            other.decrypt(GROUP_SENDER, valid);
        });
        assertThat(skdmRuns).isGreaterThanOrEqualTo(Math.min(Fuzzer.ITERATIONS / 5, 2_000));
    }

    @Test
    void unpaddingOnlyThrowsProtocolException() {
        byte[] valid = WhatsAppPadding.pad(utf8("padded"), 7);
        int runs = Fuzzer.run("whatsapp unpad", valid, WhatsAppPadding::unpad);
        assertThat(runs).isGreaterThanOrEqualTo(Math.min(Fuzzer.ITERATIONS, 10_000));
    }

    @Test
    void storedSessionsOnlyThrowProtocolException() {
        establish();
        byte[] message = phone.encrypt(DEVICE, utf8("for a corrupted session")).body();
        byte[] valid = deviceStore.session(PHONE).orElseThrow();
        InMemorySignalStore scratch =
                new InMemorySignalStore(deviceStore.identityKeyPair(), deviceStore.registrationId());
        SessionCipher cipher = new SessionCipher(scratch, IdentityPolicy.STRICT, keys);
        int runs = Fuzzer.run("stored session", valid, Fuzzer.ITERATIONS / 4, input -> {
            scratch.commit(SignalStoreUpdate.builder().putSession(PHONE, input).build());
            cipher.hasSession(PHONE);
            cipher.remoteRegistrationId(PHONE);
            allowingProtocolErrors(() -> cipher.decryptMessage(PHONE, message));
            cipher.encrypt(PHONE, utf8("reply"));
        });
        assertThat(runs).isGreaterThanOrEqualTo(Math.min(Fuzzer.ITERATIONS / 4, 1_000));
    }

    @Test
    void storedSenderKeysOnlyThrowProtocolException() {
        GroupCipher sender = new GroupCipher(phoneStore, keys);
        GroupCipher receiver = new GroupCipher(deviceStore, keys);
        receiver.processDistributionMessage(GROUP_SENDER, sender.distributionMessage(GROUP_SENDER));
        byte[] message = sender.encrypt(GROUP_SENDER, utf8("for a corrupted sender key"));
        InMemorySignalStore scratch = InMemorySignalStore.generate(0, keys);
        GroupCipher cipher = new GroupCipher(scratch, keys);
        for (InMemorySignalStore source : new InMemorySignalStore[] {deviceStore, phoneStore}) {
            byte[] valid = source.senderKey(GROUP_SENDER).orElseThrow();
            Fuzzer.run("stored sender key", valid, Fuzzer.ITERATIONS / 4, input -> {
                scratch.commit(SignalStoreUpdate.builder()
                        .putSenderKey(GROUP_SENDER, input)
                        .build());
                cipher.hasSenderKey(GROUP_SENDER);
                allowingProtocolErrors(() -> cipher.decrypt(GROUP_SENDER, message));
                allowingProtocolErrors(() -> cipher.encrypt(GROUP_SENDER, utf8("ours?")));
                cipher.distributionMessage(GROUP_SENDER);
            });
        }
    }

    @Test
    void storedKeysAndIdentitiesOnlyThrowProtocolException() {
        Fuzzer.run("stored prekey", PreKeyRecord.generate(9, keys).toBytes(), PreKeyRecord::parse);
        Fuzzer.run(
                "stored signed prekey",
                SignedPreKeyRecord.generate(3, phoneStore.identityKeyPair(), keys)
                        .toBytes(),
                SignedPreKeyRecord::parse);
        Fuzzer.run(
                "stored identity",
                IdentityKey.of(phoneStore.identityKeyPair().publicKey()).serialize(),
                IdentityKey::parse);
    }

    @Test
    void addressesAndEncTypesOnlyThrowProtocolException() {
        Fuzzer.run(
                "signal address",
                utf8("190000000000001_1.12"),
                input -> SignalAddress.parse(new String(input, StandardCharsets.ISO_8859_1)));
        Fuzzer.run(
                "enc type",
                utf8("pkmsg"),
                input -> CiphertextType.fromWireName(new String(input, StandardCharsets.ISO_8859_1)));
    }

    private void establish() {
        phone.processPreKeyBundle(DEVICE, deviceStore.bundle(1, OptionalInt.of(1)));
        device.decryptPreKeyMessage(PHONE, phone.encrypt(DEVICE, utf8("hello")).body());
        phone.decryptMessage(DEVICE, device.encrypt(PHONE, utf8("hi")).body());
    }

    /** Runs one step of a target that goes on after it; anything but a ProtocolException still escapes. */
    private static void allowingProtocolErrors(Runnable step) {
        try {
            step.run();
        } catch (ProtocolException expected) {
            // typed: the next step runs
        }
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
