-- The partitions the catalog knows for the PIT table (the Hive connector's hidden $partitions table).
SELECT business_unit, request_date FROM ${database}."security_of_interest_pit$partitions"
