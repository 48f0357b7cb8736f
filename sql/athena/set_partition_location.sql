-- compact: points one PIT partition at its verified compacted folder. One catalog update (Glue
-- UpdatePartition): a query plans over the old folder or the new one, never both. The values are escaped literals.
ALTER TABLE ${database}.security_of_interest_pit PARTITION (business_unit = ${business_unit}, request_date = ${request_date})
SET LOCATION '${location}'
