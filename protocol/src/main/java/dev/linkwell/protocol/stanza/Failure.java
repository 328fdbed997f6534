package dev.linkwell.protocol.stanza;

import dev.linkwell.protocol.binary.Node;

/**
 * {@code <failure reason=N [location] [code expire]/>}: the server refuses a connection at login, in place of
 * {@code <success>} (whatsmeow connectionevents.go handleConnectFailure): 401/403/406 logged out, 402 a
 * temporary ban with its {@code code} and {@code expire} seconds, 405 client outdated, 500/503 server
 * trouble. A missing or unreadable reason reads as 500.
 *
 * @param location where it was decided (the real server names a data centre), or null
 * @param banCode  the ban's code (402 only; 0 otherwise)
 * @param expire   seconds the ban still lasts (402 only; 0 otherwise)
 */
public record Failure(int reason, String location, int banCode, long expire) {

    public static final String TAG = "failure";
    public static final int TEMPORARY_BAN = 402;

    public static Failure of(int reason) {
        return new Failure(reason, null, 0, 0);
    }

    public static Failure at(int reason, String location) {
        return new Failure(reason, location, 0, 0);
    }

    public static Failure temporaryBan(int banCode, long expireSeconds) {
        return new Failure(TEMPORARY_BAN, null, banCode, expireSeconds);
    }

    public static Failure from(Node node) {
        return new Failure(
                Stanzas.parseInt(node.attr("reason"), 500),
                node.attr("location"),
                Stanzas.parseInt(node.attr("code"), 0),
                Stanzas.parseLong(node.attr("expire"), 0));
    }

    public Node toNode() {
        if (reason == TEMPORARY_BAN) {
            return Node.of(
                    TAG,
                    Stanzas.attrs(
                            "reason",
                            Integer.toString(reason),
                            "code",
                            Integer.toString(banCode),
                            "expire",
                            Long.toString(expire),
                            "location",
                            location));
        }
        return Node.of(TAG, Stanzas.attrs("reason", Integer.toString(reason), "location", location));
    }
}
