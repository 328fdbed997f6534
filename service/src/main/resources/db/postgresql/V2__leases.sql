-- Several nodes on one database (docs/adr/0015-leases-and-fencing.md). Applied by Flyway at start.

-- The running nodes. A node writes its row at start and every lease renewal; a row whose expires_at passed is a
-- node that stopped answering. url is where the other nodes forward API calls for the node's sessions.
CREATE TABLE node (
    node_id      text        PRIMARY KEY,
    url          text,
    started_at   timestamptz NOT NULL,
    heartbeat_at timestamptz NOT NULL,
    expires_at   timestamptz NOT NULL
);

-- One owner per session. A node takes a session whose lease is free (owner NULL) or expired with one conditional
-- statement that adds one to epoch, and renews it while it runs the session. Every write of the session's
-- credentials, state, API keys, webhook outbox rows and events names (owner, epoch) and holds this row FOR SHARE
-- while it writes, so once another node took the session (a new epoch) the old owner can write nothing.
CREATE TABLE session_lease (
    session_id text        PRIMARY KEY,
    owner      text,
    epoch      bigint      NOT NULL,
    expires_at timestamptz NOT NULL
);
CREATE INDEX session_lease_owner ON session_lease (owner) WHERE owner IS NOT NULL;

-- Event ids come from the database now, so that every node sees one order. They go on from the ids nodes took
-- from their clocks so far (microseconds since the epoch), so a client's Last-Event-ID stays comparable.
CREATE SEQUENCE event_log_id;
SELECT setval('event_log_id', GREATEST((SELECT COALESCE(MAX(id), 0) FROM event_log),
    (EXTRACT(EPOCH FROM clock_timestamp()) * 1000000)::bigint));

-- A delivery attempt under way on one node; the other nodes leave the row alone until claimed_until.
ALTER TABLE webhook_delivery ADD COLUMN claimed_by text, ADD COLUMN claimed_until timestamptz;
