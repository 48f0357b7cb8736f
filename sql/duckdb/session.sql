-- Every local engine connection works in UTC, as Athena does: timestamps print and cast in UTC.
SET TimeZone = 'UTC'
