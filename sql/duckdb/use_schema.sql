-- ./soi query: unqualified table names resolve in the product's database.
USE ${database}
