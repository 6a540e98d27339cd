-- Step 9: a referral names the directory service it was made to (blank for a provider only named), so the
-- coordinator can open the service's hours, contacts and locations from the referral
ALTER TABLE referrals ADD COLUMN service_id VARCHAR(200) DEFAULT '' NOT NULL;
