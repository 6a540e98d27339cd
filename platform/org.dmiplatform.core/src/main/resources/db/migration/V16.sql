-- Step 6a: the letterhead of a site's letters to call-in candidates: the chief who signs them, the signature block
-- and the department's mailing address. Letters already made keep the letterhead they were made with.
CREATE TABLE letterheads (
    site_id VARCHAR(64) PRIMARY KEY,
    chief VARCHAR(200) NOT NULL,
    title VARCHAR(200) NOT NULL,
    department VARCHAR(200) NOT NULL,
    mailing_address VARCHAR(500) NOT NULL,
    updated_by VARCHAR(64) NOT NULL,
    updated_at TIMESTAMP WITH TIME ZONE NOT NULL
);
