-- run: points the latest table at a verified version. One catalog update (Glue UpdateTable): both properties change
-- together, so readers plan every unit over the old version or every unit over the new one, never a mix.
ALTER TABLE ${database}.security_of_interest_latest SET TBLPROPERTIES (
  'projection.business_unit.values' = ${units},
  'storage.location.template' = '${location_template}'
)
