package dev.linkwell.service.storage;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;

/**
 * {@code DATABASE_URL} in the forms people have: a JDBC URL ({@code jdbc:postgresql://host:5432/db?ssl=true})
 * or the libpq / platform form ({@code postgres://user:password@host:5432/db?sslmode=require}), whose user
 * and password are taken out of the URL.
 */
public final class DatabaseUrls {

    private static final String JDBC_PREFIX = "jdbc:postgresql:";
    private static final Pattern PASSWORD_PARAMETER = Pattern.compile("(?i)([?&]password=)[^&]*");

    /**
     * A URL ready for the JDBC driver, and the credentials that were in it.
     *
     * @param user the user named in the URL, or null
     * @param password the password named in the URL, or null
     */
    public record Parsed(String jdbcUrl, String user, String password) {

        @Override
        public String toString() {
            return "Parsed[" + redact(jdbcUrl) + ", user=" + user + "]";
        }
    }

    private DatabaseUrls() {}

    /**
     * @throws IllegalArgumentException with a message that never repeats a password
     */
    public static Parsed parse(String url) {
        if (url == null || url.isBlank()) {
            throw new IllegalArgumentException("STORAGE=postgres needs DATABASE_URL (jdbc:postgresql://host:5432/db"
                    + " or postgres://user:password@host:5432/db)");
        }
        String value = url.strip();
        if (value.startsWith(JDBC_PREFIX)) {
            return fromJdbc(value);
        }
        if (!value.startsWith("postgres://") && !value.startsWith("postgresql://")) {
            throw new IllegalArgumentException(
                    "DATABASE_URL must start with jdbc:postgresql://, postgres:// or postgresql://");
        }
        URI uri;
        try {
            uri = new URI(value);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("DATABASE_URL is not a valid URL (" + e.getReason() + ")");
        }
        if (uri.getHost() == null) {
            throw new IllegalArgumentException("DATABASE_URL names no host");
        }
        String user = null;
        String password = null;
        String info = uri.getRawUserInfo();
        if (info != null) {
            int colon = info.indexOf(':');
            user = decode(colon < 0 ? info : info.substring(0, colon));
            password = colon < 0 ? null : decode(info.substring(colon + 1));
        }
        String jdbc = JDBC_PREFIX + "//" + uri.getRawAuthority().substring(info == null ? 0 : info.length() + 1)
                + (uri.getRawPath() == null ? "" : uri.getRawPath())
                + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
        return new Parsed(jdbc, user, password);
    }

    /**
     * Takes {@code user} and {@code password} out of a JDBC URL's parameters, so the URL the pool and Flyway log
     * holds no password.
     */
    private static Parsed fromJdbc(String url) {
        int question = url.indexOf('?');
        if (question < 0) {
            return new Parsed(url, null, null);
        }
        String user = null;
        String password = null;
        StringBuilder kept = new StringBuilder();
        for (String parameter : url.substring(question + 1).split("&")) {
            String name = parameter.contains("=") ? parameter.substring(0, parameter.indexOf('=')) : parameter;
            String value = parameter.contains("=") ? decode(parameter.substring(parameter.indexOf('=') + 1)) : "";
            if (name.equalsIgnoreCase("user")) {
                user = value;
            } else if (name.equalsIgnoreCase("password")) {
                password = value;
            } else if (!parameter.isEmpty()) {
                kept.append(kept.isEmpty() ? "?" : "&").append(parameter);
            }
        }
        return new Parsed(url.substring(0, question) + kept, user, password);
    }

    /** The URL with any password in it replaced, fit for logs and messages. */
    public static String redact(String url) {
        String value = PASSWORD_PARAMETER.matcher(url).replaceAll("$1***");
        int scheme = value.indexOf("://");
        int at = value.indexOf('@');
        int slash = scheme < 0 ? -1 : value.indexOf('/', scheme + 3);
        if (scheme >= 0 && at > scheme && (slash < 0 || at < slash)) {
            String info = value.substring(scheme + 3, at);
            int colon = info.indexOf(':');
            value = value.substring(0, scheme + 3)
                    + (colon < 0 ? info : info.substring(0, colon) + ":***")
                    + value.substring(at);
        }
        return value;
    }

    private static String decode(String text) {
        return URLDecoder.decode(text.replace("+", "%2B"), StandardCharsets.UTF_8);
    }
}
