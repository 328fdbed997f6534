package dev.linkwell.simulator;

import dev.linkwell.protocol.binary.Node;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code <iq xmlns="privacy" type="get"><privacy/></iq>}: the account's privacy settings, answered
 * {@code <iq type="result"><privacy><category name value/>..</privacy></iq>} (whatsmeow privacysettings.go
 * TryFetchPrivacySettings and parsePrivacySettings @33cfac5; Baileys 7.0.0-rc14 lib/Socket/chats.js
 * fetchPrivacySettings reads the categories into a name -> value map). Category names and the values each
 * allows are whatsmeow's (types/user.go PrivacySettingType). The values are the simulated account's own, not
 * a claim about WhatsApp's defaults; nothing can change them (a {@code set} is not implemented).
 */
final class PrivacyQuery implements AccountQuery {

    static final Map<String, String> SETTINGS = settings();

    private static Map<String, String> settings() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("last", "all");
        m.put("online", "all");
        m.put("profile", "all");
        m.put("status", "all");
        m.put("groupadd", "all");
        m.put("readreceipts", "all");
        m.put("calladd", "all");
        m.put("messages", "all");
        m.put("defense", "off");
        m.put("stickers", "contacts");
        return java.util.Collections.unmodifiableMap(m);
    }

    @Override
    public boolean handles(Node iq) {
        return AccountQuery.is(iq, "privacy", "get", "privacy");
    }

    @Override
    public Node answer(Node iq, String deviceJid) {
        List<Node> categories = new ArrayList<>();
        SETTINGS.forEach((name, value) -> categories.add(Nodes.node("category", "name", name, "value", value)));
        return Nodes.result(iq, Node.withChildren("privacy", Nodes.attrs(), categories));
    }
}
