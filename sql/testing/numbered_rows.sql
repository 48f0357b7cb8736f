-- Tests only: the numbers 1 to ? in order, to page through more rows than one page holds.
SELECT n FROM UNNEST(sequence(1, ?)) AS numbers(n) ORDER BY n
