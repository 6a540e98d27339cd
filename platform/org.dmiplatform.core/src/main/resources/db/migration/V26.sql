-- log-in sessions and log-ins awaiting their second factor, in the database so every node sees them (docs/adr/0003)
-- A row is named by the SHA-256 (hex) of its secret, never by the secret: the session id (the cookie) and the
-- pending log-in's token are known only to the browser, so whoever reads the store cannot take a session over.
-- last_seen_at moves only in steps (SessionsImpl.LAST_SEEN_STEP), not at every request. Neither table is backed up.
CREATE TABLE sessions (
    id_hash VARCHAR(64) PRIMARY KEY,
    user_id BIGINT NOT NULL REFERENCES users (id),
    csrf_token VARCHAR(64) NOT NULL,
    started_at TIMESTAMP WITH TIME ZONE NOT NULL,
    last_seen_at TIMESTAMP WITH TIME ZONE NOT NULL
);

CREATE INDEX sessions_user ON sessions (user_id);

-- tries counts the codes given with the token, at most SessionsImpl.MAX_CODE_TRIES
CREATE TABLE pending_log_ins (
    token_hash VARCHAR(64) PRIMARY KEY,
    user_id BIGINT NOT NULL REFERENCES users (id),
    enrolment_required BOOLEAN NOT NULL,
    tries INTEGER NOT NULL,
    expires_at TIMESTAMP WITH TIME ZONE NOT NULL
);

CREATE INDEX pending_log_ins_user ON pending_log_ins (user_id);
