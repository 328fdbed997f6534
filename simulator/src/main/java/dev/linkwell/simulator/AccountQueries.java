package dev.linkwell.simulator;

import dev.linkwell.protocol.binary.Node;
import java.util.List;
import java.util.Optional;

/**
 * The account and contact queries a client sends once logged in (Baileys 7.0.0-rc14 fires props, blocklist and
 * privacy at every {@code connection: 'open'} in lib/Socket/chats.js executeInitQueries, and a usync LID lookup
 * for each new phone-number sender in lib/Socket/socket.js pnFromLIDUSync; Baileys 6.17.16 the retired
 * {@code w} props instead of {@code abt}), and the app-state sync clients run after the phone's history-sync
 * notification. Before login none is answered here.
 */
final class AccountQueries {

    private final List<AccountQuery> queries;

    AccountQueries(Accounts accounts) {
        this.queries = List.of(
                new AbPropsQuery(),
                new LegacyPropsQuery(),
                new BlocklistQuery(),
                new PrivacyQuery(),
                new UsyncQuery(accounts),
                new AppStateQuery());
    }

    /** The answer to {@code iq}, or empty when no query here handles it or no device is logged in. */
    Optional<Node> answer(Node iq, String deviceJid) {
        if (deviceJid == null) {
            return Optional.empty();
        }
        return queries.stream().filter(q -> q.handles(iq)).findFirst().map(q -> q.answer(iq, deviceJid));
    }
}
