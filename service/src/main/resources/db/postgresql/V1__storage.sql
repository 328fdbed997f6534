-- Linkwell on PostgreSQL (STORAGE=postgres), docs/adr/0012-storage-on-postgresql.md.
-- Applied by Flyway at start. Never edit a released migration: add V2__..., V3__... instead.

-- CredentialStore: one row per blob. data is the engine's blob, or a sealed envelope when STORAGE_KEY is set
-- (key_id then names the master key, so a missing or wrong key is found with one query at start).
CREATE TABLE credential (
    session_id  text        NOT NULL,
    name        text        NOT NULL,
    data        bytea       NOT NULL,
    key_id      text,
    updated_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (session_id, name)
);

-- SessionStateStore: what session.json holds in the file backend.
CREATE TABLE session_state (
    session_id      text        PRIMARY KEY,
    provider        text,
    phone           text,
    storage         text,
    desired_running boolean     NOT NULL,
    updated_at      timestamptz NOT NULL,
    webhooks        jsonb       NOT NULL DEFAULT '[]'
);

-- SessionKeyStore: SHA-256 digests of session API keys (never the keys), in the order they were made.
CREATE TABLE session_api_key (
    session_id  text        NOT NULL,
    position    integer     NOT NULL,
    key_id      text        NOT NULL,
    sha256      text        NOT NULL,
    created_at  timestamptz NOT NULL,
    PRIMARY KEY (session_id, position)
);

-- The webhook outbox, as the SQLite one (docs/adr/0001-webhook-outbox-on-sqlite.md): one row per event and
-- endpoint; times are epoch milliseconds. A lane is an endpoint and a session; only its lowest pending row is sent.
CREATE TABLE webhook_delivery (
    id          bigint  GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    lane        text    NOT NULL,
    endpoint    text    NOT NULL,
    url         text    NOT NULL,
    secret      text,
    session_id  text    NOT NULL,
    event_id    text    NOT NULL,
    event_type  text    NOT NULL,
    body        bytea   NOT NULL,
    created_at  bigint  NOT NULL,
    attempts    integer NOT NULL DEFAULT 0,
    next_at     bigint  NOT NULL,
    dead_at     bigint,
    last_status integer,
    last_error  text
);
CREATE INDEX webhook_delivery_pending ON webhook_delivery (lane, id) WHERE dead_at IS NULL;
CREATE INDEX webhook_delivery_dead ON webhook_delivery (dead_at) WHERE dead_at IS NOT NULL;

-- Every event the bus published, with the bus's id; json (not jsonb) keeps the data as it was written.
CREATE TABLE event_log (
    id          bigint      PRIMARY KEY,
    session_id  text        NOT NULL,
    type        text        NOT NULL,
    created_at  timestamptz NOT NULL,
    data        json        NOT NULL
);
CREATE INDEX event_log_session ON event_log (session_id, id);
CREATE INDEX event_log_created ON event_log (created_at);
