-- the second factor of each account (TOTP, RFC 6238)
-- One row per account that has one or is enrolling: its Base32 secret, pending (enrolled_at NULL) until a first code
-- confirms it; last_step is the 30-second time-step of the last code accepted, so no code is accepted twice, not
-- even after a restart. The secret is kept as the store keeps the password hashes (docs/adr/0003).
CREATE TABLE user_second_factors (
    user_id BIGINT PRIMARY KEY REFERENCES users (id),
    secret VARCHAR(64) NOT NULL,
    created_at TIMESTAMP WITH TIME ZONE NOT NULL,
    enrolled_at TIMESTAMP WITH TIME ZONE,
    last_step BIGINT
);
