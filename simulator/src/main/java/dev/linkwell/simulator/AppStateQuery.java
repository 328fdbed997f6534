package dev.linkwell.simulator;

import dev.linkwell.protocol.binary.Node;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code <iq xmlns="w:sync:app:state" type="set"><sync><collection name version return_snapshot/>..</sync></iq>}:
 * a client syncs its app state (contacts, chat settings, ...). Answered {@code <iq type="result"><sync><collection
 * name version/>..</sync></iq>}, each asked collection at the version the client has, with no patches and no
 * snapshot: the simulator keeps no app state, so every collection is up to date and has no more patches. Baileys
 * 7.0.0-rc14 (Socket/chats.js resyncAppState, Utils/chat-utils.js extractSyncdPatches) and whatsmeow
 * (appstate/decode.go ParsePatchList at 33cfac5) read {@code name}, optional {@code has_more_patches}, and optional
 * {@code snapshot} and {@code patches} children. Baileys goes online only once this sync is done after the phone's
 * history-sync notification.
 */
final class AppStateQuery implements AccountQuery {

    @Override
    public boolean handles(Node iq) {
        return AccountQuery.is(iq, "w:sync:app:state", "set", "sync");
    }

    @Override
    public Node answer(Node iq, String deviceJid) {
        List<Node> collections = new ArrayList<>();
        for (Node asked : iq.child("sync").children("collection")) {
            collections.add(Nodes.node(
                    "collection", "name", asked.attrOr("name", ""), "version", asked.attrOr("version", "0")));
        }
        return Nodes.result(iq, Node.withChildren("sync", Nodes.attrs(), collections));
    }
}
