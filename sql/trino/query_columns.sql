-- The Athena stand-in's look at what a CTAS's or INSERT's query writes: its output columns, and no row.
SELECT * FROM (${query}) AS written LIMIT 0
