-- fragment of athena/add_partitions; the values are escaped literals (DDL takes no parameters).
PARTITION (business_unit = ${business_unit}, request_date = ${request_date}) LOCATION '${location}'
