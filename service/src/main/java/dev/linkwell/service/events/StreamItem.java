package dev.linkwell.service.events;

/** What an SSE or WebSocket client is sent: an event of the bus, or word that some were lost ({@link EventGap}). */
public sealed interface StreamItem permits SessionEvent, EventGap {

    /** The stream position, sent as SSE {@code id:}; a client resumes after it. */
    String id();

    /** The type's wire name, sent as SSE {@code event:}. */
    String typeName();
}
