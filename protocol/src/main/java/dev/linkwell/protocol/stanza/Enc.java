package dev.linkwell.protocol.stanza;

import dev.linkwell.protocol.binary.Node;
import java.util.Objects;

/**
 * One {@code <enc v type [count] [mediatype]>ciphertext</enc>} of a message: {@code type} is {@code pkmsg},
 * {@code msg} or {@code skmsg}, {@code v} 2 (the plaintext is a padded Message protobuf) or 3 (not padded),
 * {@code count} the sender's resend number after a retry receipt (whatsmeow message.go decryptMessages and
 * retry.go handleRetryReceipt at 33cfac5; Baileys 7.0.0-rc14 Utils/decode-wa-message.js).
 *
 * @param count 0 when absent (a first delivery)
 */
public record Enc(String type, int version, int count, String mediaType, byte[] body) {

    public static final String TAG = "enc";

    public Enc {
        Objects.requireNonNull(type, "type");
        body = body == null ? new byte[0] : body.clone();
    }

    /** A first delivery: {@code v="2"}, no count. */
    public static Enc of(String type, byte[] body) {
        return new Enc(type, 2, 0, null, body);
    }

    public static Enc from(Node enc) {
        return new Enc(
                enc.attrOr("type", ""),
                Stanzas.parseInt(enc.attr("v"), 0),
                Stanzas.parseInt(enc.attr("count"), 0),
                enc.attr("mediatype"),
                enc.contentBytes());
    }

    /** The same payload as a resend number {@code n}. */
    public Enc withCount(int n) {
        return new Enc(type, version, n, mediaType, body);
    }

    @Override
    public byte[] body() {
        return body.clone();
    }

    public Node toNode() {
        return Node.withBytes(
                TAG,
                Stanzas.attrs(
                        "v",
                        Integer.toString(version),
                        "type",
                        type,
                        "count",
                        count == 0 ? null : Integer.toString(count),
                        "mediatype",
                        mediaType),
                body);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Enc e
                && type.equals(e.type)
                && version == e.version
                && count == e.count
                && Objects.equals(mediaType, e.mediaType)
                && java.util.Arrays.equals(body, e.body);
    }

    @Override
    public int hashCode() {
        return Objects.hash(type, version, count);
    }

    @Override
    public String toString() {
        return "Enc[" + type + ", v" + version + (count == 0 ? "" : ", count " + count) + ", " + body.length
                + " bytes]";
    }
}
