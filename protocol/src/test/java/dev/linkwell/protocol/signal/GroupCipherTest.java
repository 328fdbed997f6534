package dev.linkwell.protocol.signal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.linkwell.protocol.crypto.KeyPair;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class GroupCipherTest {

    private static final String GROUP = "120363000000000001@g.us";
    private static final SenderKeyName PHONE = new SenderKeyName(GROUP, new SignalAddress("5511999990000", 0));

    private final SecureRandom random = new SecureRandom();
    private final InMemorySignalStore phoneStore = InMemorySignalStore.generate(0, random);
    private final InMemorySignalStore deviceStore = InMemorySignalStore.generate(0, random);
    private final RecordingStore deviceRecorded = new RecordingStore(deviceStore);
    private final GroupCipher phone = new GroupCipher(phoneStore, random);
    private final GroupCipher device = new GroupCipher(deviceRecorded, random);

    @Test
    void membersDecryptWhatTheSenderEncryptsAfterItsDistributionMessage() {
        byte[] skdm = phone.distributionMessage(PHONE);
        assertThat(phone.distributionMessage(PHONE))
                .as("the same key until it is deleted")
                .isEqualTo(skdm);
        InMemorySignalStore thirdStore = InMemorySignalStore.generate(0, random);
        GroupCipher third = new GroupCipher(thirdStore, random);
        device.processDistributionMessage(PHONE, skdm);
        third.processDistributionMessage(PHONE, skdm);
        for (int i = 0; i < 5; i++) {
            byte[] m = phone.encrypt(PHONE, utf8("group " + i));
            assertThat(SenderKeyMessage.parse(m).iteration()).isEqualTo(i);
            assertThat(text(device.decrypt(PHONE, m))).isEqualTo("group " + i);
            assertThat(text(third.decrypt(PHONE, m))).isEqualTo("group " + i);
        }
        assertThat(device.hasSenderKey(PHONE)).isTrue();
    }

    @Test
    void outOfOrderGroupMessagesDecryptAndRepeatsAreDuplicates() {
        device.processDistributionMessage(PHONE, phone.distributionMessage(PHONE));
        List<byte[]> messages = encrypt(10);
        for (int i : new int[] {7, 2, 9, 0, 1, 8, 3, 6, 4, 5}) {
            assertThat(text(device.decrypt(PHONE, messages.get(i)))).isEqualTo("m" + i);
        }
        int commits = deviceRecorded.commits.size();
        for (int i : new int[] {0, 5, 9}) {
            assertThatThrownBy(() -> device.decrypt(PHONE, messages.get(i)))
                    .isInstanceOf(DuplicateMessageException.class);
        }
        assertThat(deviceRecorded.commits).hasSize(commits);
    }

    @Test
    void aMessageMoreThanTwoThousandIterationsAheadIsRefused() {
        device.processDistributionMessage(PHONE, phone.distributionMessage(PHONE));
        List<byte[]> messages = encrypt(MessageKeyChain.MAX_FORWARD + 2);
        assertThatThrownBy(() -> device.decrypt(PHONE, messages.get(MessageKeyChain.MAX_FORWARD + 1)))
                .isInstanceOf(InvalidMessageException.class);
        assertThat(text(device.decrypt(PHONE, messages.get(MessageKeyChain.MAX_FORWARD))))
                .isEqualTo("m" + MessageKeyChain.MAX_FORWARD);
        assertThat(text(device.decrypt(PHONE, messages.get(1)))).isEqualTo("m1");
    }

    @Test
    void aTamperedOrForeignMessageFailsItsSignature() {
        device.processDistributionMessage(PHONE, phone.distributionMessage(PHONE));
        byte[] m = phone.encrypt(PHONE, utf8("signed"));
        byte[] tampered = m.clone();
        tampered[m.length - 64 - 2] ^= 1;
        assertThatThrownBy(() -> device.decrypt(PHONE, tampered)).isInstanceOf(BadMacException.class);
        byte[] badSignature = m.clone();
        badSignature[m.length - 1] ^= 1;
        assertThatThrownBy(() -> device.decrypt(PHONE, badSignature)).isInstanceOf(BadMacException.class);
        // the same key id signed by somebody else
        SenderKeyMessage parsed = SenderKeyMessage.parse(m);
        byte[] impostor = SenderKeyMessage.create(
                        parsed.keyId(),
                        parsed.iteration(),
                        parsed.ciphertext(),
                        KeyPair.generate(random).privateKey(),
                        new byte[64])
                .serialize();
        assertThatThrownBy(() -> device.decrypt(PHONE, impostor)).isInstanceOf(BadMacException.class);
        assertThat(text(device.decrypt(PHONE, m))).isEqualTo("signed");
    }

    @Test
    void withoutTheSendersKeyThereIsNoSession() {
        byte[] m;
        phone.distributionMessage(PHONE);
        m = phone.encrypt(PHONE, utf8("x"));
        assertThatThrownBy(() -> device.decrypt(PHONE, m)).isInstanceOf(NoSessionException.class);
        // a key with another id from the same sender
        GroupCipher otherPhone = new GroupCipher(InMemorySignalStore.generate(0, random), random);
        device.processDistributionMessage(PHONE, otherPhone.distributionMessage(PHONE));
        assertThatThrownBy(() -> device.decrypt(PHONE, m))
                .isInstanceOf(NoSessionException.class)
                .hasMessageContaining("no sender key");
        assertThatThrownBy(() -> device.encrypt(PHONE, utf8("not ours"))).isInstanceOf(NoSessionException.class);
    }

    @Test
    void aRepeatedDistributionMessageDoesNotRewindTheChain() {
        byte[] skdm = phone.distributionMessage(PHONE);
        device.processDistributionMessage(PHONE, skdm);
        List<byte[]> messages = encrypt(3);
        for (byte[] m : messages) {
            device.decrypt(PHONE, m);
        }
        device.processDistributionMessage(PHONE, skdm);
        assertThatThrownBy(() -> device.decrypt(PHONE, messages.get(1))).isInstanceOf(DuplicateMessageException.class);
        assertThat(text(device.decrypt(PHONE, phone.encrypt(PHONE, utf8("next")))))
                .isEqualTo("next");
    }

    @Test
    void aDistributionMessageCarriesTheCurrentIteration() {
        phone.distributionMessage(PHONE);
        encrypt(4);
        byte[] late = phone.distributionMessage(PHONE);
        assertThat(SenderKeyDistributionMessage.parse(late).iteration()).isEqualTo(4);
        device.processDistributionMessage(PHONE, late);
        assertThat(text(device.decrypt(PHONE, phone.encrypt(PHONE, utf8("fifth")))))
                .isEqualTo("fifth");
    }

    @Test
    void atMostFiveKeysPerSenderAreKept() {
        List<byte[]> firstMessages = new ArrayList<>();
        List<GroupCipher> senders = new ArrayList<>();
        for (int i = 0; i <= SenderKeyRecord.MAX_STATES; i++) {
            GroupCipher sender = new GroupCipher(InMemorySignalStore.generate(0, random), random);
            device.processDistributionMessage(PHONE, sender.distributionMessage(PHONE));
            firstMessages.add(sender.encrypt(PHONE, utf8("key " + i)));
            senders.add(sender);
        }
        assertThatThrownBy(() -> device.decrypt(PHONE, firstMessages.get(0))).isInstanceOf(NoSessionException.class);
        for (int i = 1; i <= SenderKeyRecord.MAX_STATES; i++) {
            assertThat(text(device.decrypt(PHONE, firstMessages.get(i)))).isEqualTo("key " + i);
        }
    }

    @Test
    void deletingOurKeyMakesANewOne() {
        int first = SenderKeyDistributionMessage.parse(phone.distributionMessage(PHONE))
                .keyId();
        phone.deleteSenderKey(PHONE);
        assertThat(phone.hasSenderKey(PHONE)).isFalse();
        byte[] fresh = phone.distributionMessage(PHONE);
        SenderKeyDistributionMessage parsed = SenderKeyDistributionMessage.parse(fresh);
        assertThat(parsed.keyId()).isNotEqualTo(first).isNotNegative();
        assertThat(parsed.iteration()).isZero();
    }

    @Test
    void aKeyIdReusedWithAnotherSigningKeyReplacesTheOldKey() {
        byte[] skdm = phone.distributionMessage(PHONE);
        device.processDistributionMessage(PHONE, skdm);
        SenderKeyDistributionMessage parsed = SenderKeyDistributionMessage.parse(skdm);
        KeyPair otherSigning = KeyPair.generate(random);
        byte[] chain = new byte[32];
        random.nextBytes(chain);
        device.processDistributionMessage(
                PHONE,
                SenderKeyDistributionMessage.create(parsed.keyId(), 0, chain, otherSigning.publicKey())
                        .serialize());
        assertThatThrownBy(() -> device.decrypt(PHONE, phone.encrypt(PHONE, utf8("old signer"))))
                .isInstanceOf(BadMacException.class);
    }

    @Test
    void aRestartKeepsGroupState() {
        device.processDistributionMessage(PHONE, phone.distributionMessage(PHONE));
        List<byte[]> messages = encrypt(3);
        device.decrypt(PHONE, messages.get(2));
        GroupCipher restarted = new GroupCipher(deviceStore, random);
        GroupCipher phoneRestarted = new GroupCipher(phoneStore, random);
        assertThat(text(restarted.decrypt(PHONE, messages.get(0)))).isEqualTo("m0");
        assertThat(text(restarted.decrypt(PHONE, phoneRestarted.encrypt(PHONE, utf8("after")))))
                .isEqualTo("after");
    }

    private List<byte[]> encrypt(int n) {
        List<byte[]> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(phone.encrypt(PHONE, utf8("m" + i)));
        }
        return out;
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static String text(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }
}
