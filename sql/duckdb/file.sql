-- One Parquet file path inside a read_parquet list.
'${path}'
