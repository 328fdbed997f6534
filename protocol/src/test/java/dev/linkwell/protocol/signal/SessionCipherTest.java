package dev.linkwell.protocol.signal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

/**
 * Two Java parties: a phone ({@link #alice}) that starts sessions from bundles, and a linked device
 * ({@link #bob}) that receives pre-key messages. The cross-check against libsignal-node is
 * {@code LibsignalSessionConformanceTest}.
 */
class SessionCipherTest {

    private static final SignalAddress ALICE = new SignalAddress("5511999990000", 0);
    private static final SignalAddress BOB = new SignalAddress("5511988887777", 3);

    private final SecureRandom random = new SecureRandom();
    private InMemorySignalStore aliceStore = InMemorySignalStore.generate(0, random);
    private final InMemorySignalStore bobStore = InMemorySignalStore.generate(10, random);
    private final RecordingStore bobRecorded = new RecordingStore(bobStore);
    private SessionCipher alice = new SessionCipher(aliceStore, IdentityPolicy.TRUST_ON_FIRST_USE, random);
    private SessionCipher bob = new SessionCipher(bobRecorded, IdentityPolicy.TRUST_ON_FIRST_USE, random);

    @Test
    void aBundleWithAOneTimePreKeyStartsASessionAndThePreKeyIsConsumedOnce() {
        alice.processPreKeyBundle(BOB, bobStore.bundle(1, OptionalInt.of(3)));
        EncryptedMessage first = alice.encrypt(BOB, utf8("hello"));
        EncryptedMessage second = alice.encrypt(BOB, utf8("again"));
        assertThat(first.type()).isEqualTo(CiphertextType.PKMSG);
        assertThat(second.type()).isEqualTo(CiphertextType.PKMSG);
        PreKeySignalMessage pkmsg = PreKeySignalMessage.parse(first.body());
        assertThat(pkmsg.preKeyId()).hasValue(3);
        assertThat(pkmsg.signedPreKeyId()).isEqualTo(1);
        assertThat(pkmsg.registrationId()).isEqualTo(aliceStore.registrationId());

        DecryptedMessage d = bob.decrypt(ALICE, first.type(), first.body());
        assertThat(text(d)).isEqualTo("hello");
        assertThat(d.consumedPreKeyId()).hasValue(3);
        assertThat(d.identityChanged()).isFalse();
        assertThat(bobStore.preKeyIds()).doesNotContain(3).hasSize(9);
        // one commit: session, the new peer's identity and the used prekey together
        SignalStoreUpdate commit = bobRecorded.commits.get(bobRecorded.commits.size() - 1);
        assertThat(commit.sessions()).containsOnlyKeys(ALICE);
        assertThat(commit.identities()).containsOnlyKeys(ALICE);
        assertThat(commit.deletedPreKeys()).containsExactly(3);

        DecryptedMessage d2 = bob.decrypt(ALICE, second.type(), second.body());
        assertThat(text(d2)).isEqualTo("again");
        assertThat(d2.consumedPreKeyId()).isEmpty();

        EncryptedMessage reply = bob.encrypt(ALICE, utf8("hi"));
        assertThat(reply.type()).isEqualTo(CiphertextType.MSG);
        assertThat(text(alice.decrypt(BOB, reply.type(), reply.body()))).isEqualTo("hi");
        assertThat(alice.encrypt(BOB, utf8("now plain")).type()).isEqualTo(CiphertextType.MSG);
        assertThat(bob.remoteRegistrationId(ALICE)).hasValue(aliceStore.registrationId());
        assertThat(alice.remoteRegistrationId(BOB)).hasValue(bobStore.registrationId());
    }

    @Test
    void aBundleWithoutOneTimePreKeyStartsASessionToo() {
        alice.processPreKeyBundle(BOB, bobStore.bundle(1, OptionalInt.empty()));
        EncryptedMessage m = alice.encrypt(BOB, utf8("no one-time key"));
        assertThat(PreKeySignalMessage.parse(m.body()).preKeyId()).isEmpty();
        DecryptedMessage d = bob.decryptPreKeyMessage(ALICE, m.body());
        assertThat(text(d)).isEqualTo("no one-time key");
        assertThat(d.consumedPreKeyId()).isEmpty();
        assertThat(bobStore.preKeyIds()).hasSize(10);
        roundTrips(5);
    }

    @Test
    void aBundleWhoseSignatureDoesNotVerifyIsRefused() {
        PreKeyBundle good = bobStore.bundle(1, OptionalInt.of(1));
        byte[] sig = good.signedPreKeySignature();
        sig[3] ^= 1;
        PreKeyBundle forged = new PreKeyBundle(
                good.registrationId(),
                good.identityKey(),
                good.signedPreKeyId(),
                good.signedPreKey(),
                sig,
                good.preKeyId(),
                good.preKey());
        assertThatThrownBy(() -> alice.processPreKeyBundle(BOB, forged)).isInstanceOf(InvalidKeyException.class);
        assertThat(alice.hasSession(BOB)).isFalse();
        assertThat(aliceStore.identity(BOB)).isEmpty();
    }

    @Test
    void aConversationRatchetsAtEveryTurn() {
        establish();
        List<String> ratchetKeys = new ArrayList<>();
        for (int turn = 0; turn < 30; turn++) {
            boolean fromAlice = turn % 2 == 0;
            SessionCipher sender = fromAlice ? alice : bob;
            SessionCipher receiver = fromAlice ? bob : alice;
            SignalAddress to = fromAlice ? BOB : ALICE;
            SignalAddress from = fromAlice ? ALICE : BOB;
            for (int i = 0; i < 3; i++) {
                EncryptedMessage m = sender.encrypt(to, utf8("turn " + turn + " #" + i));
                assertThat(m.type()).isEqualTo(CiphertextType.MSG);
                SignalMessage parsed = SignalMessage.parse(m.body());
                assertThat(parsed.counter()).isEqualTo(i);
                if (i == 0) {
                    ratchetKeys.add(java.util.HexFormat.of().formatHex(parsed.ratchetKey()));
                }
                assertThat(text(receiver.decrypt(from, m.type(), m.body()))).isEqualTo("turn " + turn + " #" + i);
            }
        }
        assertThat(ratchetKeys).doesNotHaveDuplicates();
    }

    @Test
    void messagesArriveOutOfOrderWithinAndAcrossChains() {
        establish();
        List<EncryptedMessage> chainA = encrypt(alice, BOB, "a", 6);
        assertThat(text(bob.decryptMessage(ALICE, chainA.get(2).body()))).isEqualTo("a2");
        // bob has seen alice's ratchet key and answers with a new one; alice's next chain ratchets too
        EncryptedMessage answer = bob.encrypt(ALICE, utf8("answer"));
        alice.decrypt(BOB, answer.type(), answer.body());
        List<EncryptedMessage> chainB = encrypt(alice, BOB, "b", 6);
        SignalMessage a0 = SignalMessage.parse(chainA.get(0).body());
        SignalMessage b0 = SignalMessage.parse(chainB.get(0).body());
        assertThat(b0.ratchetKey()).isNotEqualTo(a0.ratchetKey());
        assertThat(b0.previousCounter()).isEqualTo(5);

        for (int i : new int[] {4, 1}) {
            assertThat(text(bob.decryptMessage(ALICE, chainB.get(i).body()))).isEqualTo("b" + i);
        }
        for (int i : new int[] {5, 0, 3}) {
            assertThat(text(bob.decryptMessage(ALICE, chainA.get(i).body()))).isEqualTo("a" + i);
        }
        for (int i : new int[] {0, 5, 2, 3}) {
            assertThat(text(bob.decryptMessage(ALICE, chainB.get(i).body()))).isEqualTo("b" + i);
        }
        for (int i : new int[] {4, 1}) {
            assertThat(text(bob.decryptMessage(ALICE, chainA.get(i).body()))).isEqualTo("a" + i);
        }
    }

    @Test
    void aRepeatedMessageIsADuplicateAndChangesNothing() {
        establish();
        EncryptedMessage m = alice.encrypt(BOB, utf8("once"));
        bob.decryptMessage(ALICE, m.body());
        byte[] before = bobStore.session(ALICE).orElseThrow();
        int commits = bobRecorded.commits.size();
        assertThatThrownBy(() -> bob.decryptMessage(ALICE, m.body())).isInstanceOf(DuplicateMessageException.class);
        assertThat(bobStore.session(ALICE).orElseThrow()).isEqualTo(before);
        assertThat(bobRecorded.commits).hasSize(commits);
    }

    @Test
    void aTamperedMessageFailsItsMacAndTheNextGenuineOneStillDecrypts() {
        establish();
        EncryptedMessage m = alice.encrypt(BOB, utf8("genuine"));
        int commits = bobRecorded.commits.size();
        for (int pos : new int[] {5, 20, m.body().length - 12, m.body().length - 1}) {
            byte[] tampered = m.body();
            tampered[pos] ^= 0x01;
            assertThatThrownBy(() -> bob.decryptMessage(ALICE, tampered))
                    .as("byte %d", pos)
                    .isInstanceOf(SignalException.class);
        }
        byte[] macFlip = m.body();
        macFlip[macFlip.length - 1] ^= 0x01;
        assertThatThrownBy(() -> bob.decryptMessage(ALICE, macFlip)).isInstanceOf(BadMacException.class);
        assertThat(bobRecorded.commits).hasSize(commits);
        assertThat(text(bob.decryptMessage(ALICE, m.body()))).isEqualTo("genuine");
    }

    @Test
    void aMessageForgedWithAFreshRatchetKeyDoesNotMoveTheRatchet() {
        establish();
        InMemorySignalStore mallory = InMemorySignalStore.generate(0, random);
        SessionCipher malloryCipher = new SessionCipher(mallory);
        malloryCipher.processPreKeyBundle(BOB, bobStore.bundle(1, OptionalInt.empty()));
        byte[] inner = PreKeySignalMessage.parse(
                        malloryCipher.encrypt(BOB, utf8("x")).body())
                .message()
                .serialize();
        byte[] before = bobStore.session(ALICE).orElseThrow();
        assertThatThrownBy(() -> bob.decryptMessage(ALICE, inner)).isInstanceOf(BadMacException.class);
        assertThat(bobStore.session(ALICE).orElseThrow()).isEqualTo(before);
        roundTrips(2);
    }

    @Test
    void aMessageMoreThanTwoThousandAheadIsRefused() {
        establish();
        List<EncryptedMessage> many = encrypt(alice, BOB, "m", MessageKeyChain.MAX_FORWARD + 2);
        assertThatThrownBy(() -> bob.decryptMessage(
                        ALICE, many.get(MessageKeyChain.MAX_FORWARD + 1).body()))
                .isInstanceOf(InvalidMessageException.class);
        assertThat(text(bob.decryptMessage(
                        ALICE, many.get(MessageKeyChain.MAX_FORWARD).body())))
                .isEqualTo("m" + MessageKeyChain.MAX_FORWARD);
        assertThat(text(bob.decryptMessage(
                        ALICE, many.get(MessageKeyChain.MAX_FORWARD + 1).body())))
                .isEqualTo("m" + (MessageKeyChain.MAX_FORWARD + 1));
        assertThat(text(bob.decryptMessage(ALICE, many.get(17).body()))).isEqualTo("m17");
    }

    @Test
    void onlyTheLastFiveReceivingChainsAreKept() {
        establish();
        List<EncryptedMessage> withheld = new ArrayList<>();
        for (int step = 0; step < SessionState.MAX_RECEIVER_CHAINS + 2; step++) {
            List<EncryptedMessage> two = encrypt(alice, BOB, "step" + step + "-", 2);
            bob.decryptMessage(ALICE, two.get(0).body());
            withheld.add(two.get(1));
            EncryptedMessage back = bob.encrypt(ALICE, utf8("ack"));
            alice.decryptMessage(BOB, back.body());
        }
        // the oldest chains are gone: their late messages no longer authenticate
        assertThatThrownBy(() -> bob.decryptMessage(ALICE, withheld.get(0).body()))
                .isInstanceOf(BadMacException.class);
        assertThatThrownBy(() -> bob.decryptMessage(ALICE, withheld.get(1).body()))
                .isInstanceOf(BadMacException.class);
        // closed but kept chains still give the keys up to the sender's last counter
        for (int step = 2; step < withheld.size(); step++) {
            assertThat(text(bob.decryptMessage(ALICE, withheld.get(step).body())))
                    .isEqualTo("step" + step + "-1");
        }
    }

    @Test
    void aNewPreKeyMessageOpensANewSessionAndTheOldOneStillDecryptsLateMessages() {
        establish();
        EncryptedMessage late = alice.encrypt(BOB, utf8("late"));
        alice.processPreKeyBundle(BOB, bobStore.bundle(1, OptionalInt.of(4)));
        EncryptedMessage restart = alice.encrypt(BOB, utf8("restart"));
        assertThat(restart.type()).isEqualTo(CiphertextType.PKMSG);
        DecryptedMessage d = bob.decryptPreKeyMessage(ALICE, restart.body());
        assertThat(text(d)).isEqualTo("restart");
        assertThat(d.consumedPreKeyId()).hasValue(4);
        assertThat(text(bob.decryptMessage(ALICE, late.body()))).isEqualTo("late");
        // bob answers in the new session, which alice reads
        EncryptedMessage reply = bob.encrypt(ALICE, utf8("new session"));
        assertThat(text(alice.decryptMessage(BOB, reply.body()))).isEqualTo("new session");
    }

    @Test
    void atMostFortySessionsAreKeptPerPeer() {
        establish();
        EncryptedMessage fromFirst = alice.encrypt(BOB, utf8("from the first session"));
        EncryptedMessage fromSecond = null;
        for (int i = 0; i < SessionRecord.MAX_SESSIONS; i++) {
            alice.processPreKeyBundle(BOB, bobStore.bundle(1, OptionalInt.empty()));
            EncryptedMessage m = alice.encrypt(BOB, utf8("session " + i));
            bob.decryptPreKeyMessage(ALICE, m.body());
            if (i == 0) {
                fromSecond = alice.encrypt(BOB, utf8("from the second session"));
            }
        }
        assertThat(SessionRecord.parse(bobStore.session(ALICE).orElseThrow()).sessions())
                .hasSize(SessionRecord.MAX_SESSIONS);
        assertThatThrownBy(() -> bob.decryptMessage(ALICE, fromFirst.body())).isInstanceOf(BadMacException.class);
        assertThat(text(bob.decrypt(ALICE, CiphertextType.PKMSG, fromSecond.body())))
                .isEqualTo("from the second session");
    }

    @Test
    void aPreKeyMessageNamingAnUnknownPreKeyIsRefusedAndChangesNothing() {
        alice.processPreKeyBundle(BOB, bobStore.bundle(1, OptionalInt.of(2)));
        EncryptedMessage m = alice.encrypt(BOB, utf8("x"));
        bob.decryptPreKeyMessage(ALICE, m.body());
        // a second session from the same (now used) one-time prekey
        InMemorySignalStore other = InMemorySignalStore.generate(0, random);
        SessionCipher otherCipher = new SessionCipher(other);
        SignalAddress carol = new SignalAddress("5511977776666", 0);
        InMemorySignalStore copy = new InMemorySignalStore(bobStore.identityKeyPair(), bobStore.registrationId());
        copy.commit(SignalStoreUpdate.builder()
                .putSignedPreKey(bobStore.signedPreKeyRecord(1).orElseThrow())
                .putPreKey(PreKeyRecord.generate(2, random))
                .build());
        otherCipher.processPreKeyBundle(BOB, copy.bundle(1, OptionalInt.of(2)));
        byte[] stale = otherCipher.encrypt(BOB, utf8("stale")).body();
        int commits = bobRecorded.commits.size();
        assertThatThrownBy(() -> bob.decryptPreKeyMessage(carol, stale)).isInstanceOf(MissingPreKeyException.class);
        assertThat(bobRecorded.commits).hasSize(commits);
        assertThat(bobStore.session(carol)).isEmpty();
        assertThat(bobStore.identity(carol)).isEmpty();

        copy.commit(SignalStoreUpdate.builder()
                .putSignedPreKey(SignedPreKeyRecord.generate(9, bobStore.identityKeyPair(), random))
                .build());
        otherCipher.processPreKeyBundle(BOB, copy.bundle(9, OptionalInt.empty()));
        byte[] unknownSigned = otherCipher.encrypt(BOB, utf8("signed 9")).body();
        assertThatThrownBy(() -> bob.decryptPreKeyMessage(carol, unknownSigned))
                .isInstanceOf(MissingPreKeyException.class)
                .hasMessageContaining("signed prekey 9");
    }

    @Test
    void aChangedIdentityReplacesTheOldOneUnderTrustOnFirstUse() {
        establish();
        EncryptedMessage oldLate = alice.encrypt(BOB, utf8("old identity"));
        reinstallAlice();
        alice.processPreKeyBundle(BOB, bobStore.bundle(1, OptionalInt.of(5)));
        EncryptedMessage m = alice.encrypt(BOB, utf8("new identity"));
        DecryptedMessage d = bob.decryptPreKeyMessage(ALICE, m.body());
        assertThat(text(d)).isEqualTo("new identity");
        assertThat(d.identityChanged()).isTrue();
        assertThat(bobStore.identity(ALICE).map(IdentityKey::parse))
                .hasValue(IdentityKey.of(aliceStore.identityKeyPair().publicKey()));
        // the sessions built on the old identity are gone
        assertThatThrownBy(() -> bob.decryptMessage(ALICE, oldLate.body())).isInstanceOf(BadMacException.class);
        assertThat(SessionRecord.parse(bobStore.session(ALICE).orElseThrow()).sessions())
                .hasSize(1);
        roundTrips(2);
    }

    @Test
    void aChangedIdentityIsRefusedUnderTheStrictPolicy() {
        SessionCipher strictBob = new SessionCipher(bobRecorded, IdentityPolicy.STRICT, random);
        bob = strictBob;
        establish();
        reinstallAlice();
        alice.processPreKeyBundle(BOB, bobStore.bundle(1, OptionalInt.of(5)));
        EncryptedMessage m = alice.encrypt(BOB, utf8("new identity"));
        int commits = bobRecorded.commits.size();
        assertThatThrownBy(() -> strictBob.decryptPreKeyMessage(ALICE, m.body()))
                .isInstanceOf(UntrustedIdentityException.class)
                .satisfies(e ->
                        assertThat(((UntrustedIdentityException) e).address()).isEqualTo(ALICE));
        assertThat(bobRecorded.commits).hasSize(commits);
        assertThat(bobStore.preKeyIds()).contains(5);
    }

    @Test
    void aBundleWithANewIdentityReportsTheChange() {
        establish();
        InMemorySignalStore bobReinstalled = InMemorySignalStore.generate(2, random);
        assertThat(alice.processPreKeyBundle(BOB, bobReinstalled.bundle(1, OptionalInt.of(1))))
                .isTrue();
        assertThat(aliceStore.identity(BOB).map(IdentityKey::parse))
                .hasValue(IdentityKey.of(bobReinstalled.identityKeyPair().publicKey()));
        assertThat(SessionRecord.parse(aliceStore.session(BOB).orElseThrow()).sessions())
                .hasSize(1);
        assertThat(alice.processPreKeyBundle(BOB, bobReinstalled.bundle(1, OptionalInt.of(2))))
                .isFalse();

        SessionCipher strictAlice = new SessionCipher(aliceStore, IdentityPolicy.STRICT, random);
        assertThatThrownBy(() -> strictAlice.processPreKeyBundle(BOB, bobStore.bundle(1, OptionalInt.empty())))
                .isInstanceOf(UntrustedIdentityException.class);
        assertThat(strictAlice.encrypt(BOB, utf8("same identity")).type()).isEqualTo(CiphertextType.PKMSG);
        // the stored identity changed behind the session's back: strict refuses to send in that session
        aliceStore.commit(SignalStoreUpdate.builder()
                .putIdentity(BOB, IdentityKey.of(bobStore.identityKeyPair().publicKey()))
                .build());
        assertThatThrownBy(() -> strictAlice.encrypt(BOB, utf8("x"))).isInstanceOf(UntrustedIdentityException.class);
    }

    @Test
    void withoutASessionThereIsNothingToEncryptOrDecryptWith() {
        assertThatThrownBy(() -> alice.encrypt(BOB, utf8("x"))).isInstanceOf(NoSessionException.class);
        alice.processPreKeyBundle(BOB, bobStore.bundle(1, OptionalInt.empty()));
        byte[] inner = PreKeySignalMessage.parse(alice.encrypt(BOB, utf8("x")).body())
                .message()
                .serialize();
        assertThatThrownBy(() -> bob.decryptMessage(ALICE, inner)).isInstanceOf(NoSessionException.class);
        assertThatThrownBy(() -> bob.decrypt(ALICE, CiphertextType.SKMSG, inner))
                .isInstanceOf(InvalidMessageException.class);
        assertThat(bob.hasSession(ALICE)).isFalse();
        assertThat(bob.remoteRegistrationId(ALICE)).isEmpty();
    }

    @Test
    void aRestartInTheMiddleOfAConversationKeepsDecrypting() {
        establish();
        List<EncryptedMessage> pending = encrypt(alice, BOB, "p", 4);
        bob.decryptMessage(ALICE, pending.get(2).body());
        // new ciphers over the same stored bytes, as after a process restart
        bob = new SessionCipher(bobRecorded);
        alice = new SessionCipher(aliceStore);
        assertThat(text(bob.decryptMessage(ALICE, pending.get(0).body()))).isEqualTo("p0");
        assertThat(text(bob.decryptMessage(ALICE, pending.get(3).body()))).isEqualTo("p3");
        roundTrips(3);
    }

    @Test
    void deletingTheSessionsForgetsThePeer() {
        establish();
        assertThat(bob.hasSession(ALICE)).isTrue();
        bob.deleteSession(ALICE);
        assertThat(bob.hasSession(ALICE)).isFalse();
        EncryptedMessage m = alice.encrypt(BOB, utf8("gone"));
        assertThatThrownBy(() -> bob.decryptMessage(ALICE, m.body())).isInstanceOf(NoSessionException.class);
    }

    @Test
    void corruptStoredStateIsReportedAsSuch() {
        establish();
        bobStore.commit(SignalStoreUpdate.builder()
                .putSession(ALICE, new byte[] {8, 2, 0x12, 1})
                .build());
        EncryptedMessage m = alice.encrypt(BOB, utf8("x"));
        assertThatThrownBy(() -> bob.decryptMessage(ALICE, m.body())).isInstanceOf(CorruptStateException.class);
        assertThatThrownBy(() -> bob.encrypt(ALICE, utf8("x"))).isInstanceOf(CorruptStateException.class);
    }

    private void establish() {
        alice.processPreKeyBundle(BOB, bobStore.bundle(1, OptionalInt.of(1)));
        EncryptedMessage m = alice.encrypt(BOB, utf8("setup"));
        assertThat(text(bob.decryptPreKeyMessage(ALICE, m.body()))).isEqualTo("setup");
        EncryptedMessage r = bob.encrypt(ALICE, utf8("setup reply"));
        assertThat(text(alice.decryptMessage(BOB, r.body()))).isEqualTo("setup reply");
    }

    private void reinstallAlice() {
        aliceStore = InMemorySignalStore.generate(0, random);
        alice = new SessionCipher(aliceStore, IdentityPolicy.TRUST_ON_FIRST_USE, random);
    }

    private void roundTrips(int n) {
        for (int i = 0; i < n; i++) {
            EncryptedMessage a = alice.encrypt(BOB, utf8("ping " + i));
            assertThat(text(bob.decrypt(ALICE, a.type(), a.body()))).isEqualTo("ping " + i);
            EncryptedMessage b = bob.encrypt(ALICE, utf8("pong " + i));
            assertThat(text(alice.decrypt(BOB, b.type(), b.body()))).isEqualTo("pong " + i);
        }
    }

    private static List<EncryptedMessage> encrypt(SessionCipher cipher, SignalAddress to, String prefix, int n) {
        List<EncryptedMessage> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(cipher.encrypt(to, utf8(prefix + i)));
        }
        return out;
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static String text(DecryptedMessage m) {
        return new String(m.plaintext(), StandardCharsets.UTF_8);
    }
}
