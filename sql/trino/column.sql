-- One column of trino/count_written_partitions.
${column}
