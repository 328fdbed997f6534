package dev.linkwell.client;

import java.util.regex.Pattern;

/** The one rule for session ids: 1 to 64 of {@code A-Z a-z 0-9 _ -}, so an id is always a safe file name. */
public final class SessionIds {

    public static final Pattern PATTERN = Pattern.compile("^[A-Za-z0-9_-]{1,64}$");

    private SessionIds() {}

    public static boolean isValid(String id) {
        return id != null && PATTERN.matcher(id).matches();
    }
}
