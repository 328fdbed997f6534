package dev.linkwell.client.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.linkwell.client.store.LidMap;
import dev.linkwell.client.store.MemoryCredentialStore;
import dev.linkwell.protocol.jid.Jid;
import dev.linkwell.protocol.signal.InMemorySignalStore;
import dev.linkwell.protocol.signal.SessionCipher;
import dev.linkwell.protocol.signal.SignalAddress;
import dev.linkwell.protocol.signal.WhatsAppPadding;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

class SessionAddressesTest {

    private static final SecureRandom RANDOM = new SecureRandom();

    private final InMemorySignalStore ours = InMemorySignalStore.generate(1, RANDOM);
    private final LidMap lids = LidMap.load(new MemoryCredentialStore(), "s1");

    @Test
    void aPhoneNumberDeviceWithAKnownLidLivesUnderItsLidFormAndAnOldSessionMovesThere() {
        InMemorySignalStore peer = InMemorySignalStore.generate(1, RANDOM);
        SessionCipher cipher = new SessionCipher(ours);
        SignalAddress named = SignalAddress.of(Jid.parse("5511999990000:2@s.whatsapp.net"));
        cipher.processPreKeyBundle(named, peer.bundle(1, OptionalInt.of(1)));
        Jid device = Jid.parse("5511999990000:2@s.whatsapp.net");
        assertThat(SessionAddresses.of(device, lids, ours))
                .as("no LID known: the name as it is")
                .isEqualTo(named);

        lids.learn(Jid.parse("777@lid"), Jid.parse("5511999990000@s.whatsapp.net"));
        SignalAddress canonical = SessionAddresses.of(device, lids, ours);
        assertThat(canonical).isEqualTo(new SignalAddress("777_1", 2));
        assertThat(ours.session(canonical)).isPresent();
        assertThat(ours.identity(canonical)).isPresent();
        assertThat(ours.session(named)).as("moved, not copied").isEmpty();
        // the moved session still encrypts (a pre-key message: the peer has not answered yet)
        assertThat(cipher.encrypt(canonical, WhatsAppPadding.pad(new byte[] {1}, RANDOM))
                        .type()
                        .wireName())
                .isEqualTo("pkmsg");
        assertThat(SessionAddresses.of(Jid.parse("777:2@lid"), lids, ours)).isEqualTo(canonical);
    }

    @Test
    void messageIdsLookLikeWhatsAppWebs() {
        String id = MessageIds.next(Instant.parse("2026-11-30T10:00:00Z"), "5511999990000", RANDOM);
        assertThat(id).matches("3EB0[0-9A-F]{18}");
        assertThat(MessageIds.next(Instant.parse("2026-11-30T10:00:00Z"), "5511999990000", RANDOM))
                .isNotEqualTo(id);
    }
}
