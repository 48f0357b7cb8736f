-- Tests only: a query that runs for hours (10^12 rows), to be stopped.
SELECT count(*) AS n
FROM UNNEST(sequence(1, 10000)) AS a(x)
CROSS JOIN UNNEST(sequence(1, 10000)) AS b(y)
CROSS JOIN UNNEST(sequence(1, 10000)) AS c(z)
