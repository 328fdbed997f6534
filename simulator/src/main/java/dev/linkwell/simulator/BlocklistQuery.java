package dev.linkwell.simulator;

import dev.linkwell.protocol.binary.Node;
import java.util.List;

/**
 * {@code <iq xmlns="blocklist" type="get"/>}: the contacts the account blocked, answered
 * {@code <iq type="result"><list><item jid/>..</list></iq>} (whatsmeow user.go GetBlocklist and parseBlocklist
 * @33cfac5 require the {@code list} child; Baileys 7.0.0-rc14 lib/Socket/chats.js fetchBlocklist reads its
 * {@code item}s). Simulated phones block nobody, so the list is empty; the {@code dhash} attribute whatsmeow
 * reads when present is left out, as its value is not documented anywhere we can check.
 */
final class BlocklistQuery implements AccountQuery {

    @Override
    public boolean handles(Node iq) {
        return AccountQuery.is(iq, "blocklist", "get", "");
    }

    @Override
    public Node answer(Node iq, String deviceJid) {
        return Nodes.result(iq, Node.withChildren("list", Nodes.attrs(), List.of()));
    }
}
