-- run: how many rows the latest table must hold. Asked only when a new version came out empty, since an
-- empty version is right when every package's newest version is a tombstone. ${select} is common/latest_from_pit.
SELECT count(*) AS row_count
FROM (
${select}
) expected
