package dev.linkwell.service.web;

/**
 * Body of {@code POST /sessions/{id}/messages}; unknown fields are rejected.
 *
 * @param to   a phone number (digits, country code first) or a JID
 * @param text the message text
 * @param id   optional: the caller's own id for this message; sending the same id again sends nothing new
 */
record SendMessageBody(String to, String text, String id) {}
