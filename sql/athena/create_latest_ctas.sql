-- run: builds a new latest version into a fresh folder as a staging table. ${select} is a
-- common/latest_from_* fragment. The staging table is dropped (metadata only) after the swap.
CREATE TABLE ${database}.${staging_table}
WITH (format = 'PARQUET', write_compression = 'SNAPPY', external_location = '${location}')
AS
${select}
