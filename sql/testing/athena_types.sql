-- Tests only: one row of every type the Athena adapter reads, for the Athena stand-in's result format.
SELECT CAST(42 AS integer) AS an_integer,
       CAST(9007199254740993 AS bigint) AS a_bigint,
       'O''Brien, 100%' AS a_varchar,
       DATE '2024-05-16' AS a_date,
       TIMESTAMP '2024-05-16 10:11:12.345' AS a_timestamp,
       true AS a_boolean,
       CAST(1.5 AS double) AS a_double,
       CAST(12.34 AS decimal(10, 2)) AS a_decimal,
       CAST(NULL AS varchar) AS a_null
