-- One value of the enum in trino/create_latest_table.
${unit}
