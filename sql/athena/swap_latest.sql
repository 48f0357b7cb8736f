-- run: points the latest table at a verified version. One catalog update: readers see the old
-- version or the new one, never a mix.
ALTER TABLE ${database}.security_of_interest_latest SET LOCATION '${location}'
