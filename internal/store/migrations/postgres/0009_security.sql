-- Signing in, hardened.
--
-- Wrong passwords no longer lock a user: anyone could lock anyone out by
-- typing wrong passwords at the sign-in page. Refused sign-ins are counted
-- instead in signin_failures, per client address (kind 'addr': an IPv4
-- address or an IPv6 /64) and per name typed (kind 'name': the SHA-256 of
-- the name, so typed secrets are not kept, and a row whether a user has
-- the name or not), and a count past its free failures makes its address
-- or name wait until wait_until (the rule is in package auth). Times here
-- are Unix milliseconds, as in SQLite, so both engines compare them alike.
ALTER TABLE users DROP COLUMN failed_logins;
ALTER TABLE users DROP COLUMN locked_until;

CREATE TABLE signin_failures (
    kind           TEXT NOT NULL,
    subject        TEXT NOT NULL,
    failures       INTEGER NOT NULL,
    last_failed_at BIGINT NOT NULL,
    wait_until     BIGINT NOT NULL,
    PRIMARY KEY (kind, subject)
);
CREATE INDEX signin_failures_last ON signin_failures (last_failed_at);

-- API tokens expire (a token made before now has 90 days from its making),
-- keep the address of their last use beside its time, and say why they
-- were revoked: '' by hand, 'password' when the user's password changed,
-- 'disabled' when the user was disabled. Re-enabling a user revives none.
ALTER TABLE api_tokens ADD COLUMN expires_at TIMESTAMPTZ;
ALTER TABLE api_tokens ADD COLUMN last_used_addr TEXT NOT NULL DEFAULT '';
ALTER TABLE api_tokens ADD COLUMN revoked_reason TEXT NOT NULL DEFAULT '';
UPDATE api_tokens SET expires_at = created_at + INTERVAL '90 days';
