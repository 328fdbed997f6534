package dev.linkwell.service.session;

/** What a client may choose when starting a session; {@code null} means "default". */
public record StartOptions(String provider, String phone, String storage) {

    public static final StartOptions DEFAULTS = new StartOptions(null, null, null);
}
