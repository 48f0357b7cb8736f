package dev.soi.parquet;

import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;

/**
 * The Avro schema of a PIT Parquet file. The partition columns ({@code business_unit},
 * {@code request_date}) are not in the file: they live in the Hive-style folder names, as Athena expects.
 * Column order matches {@code athena/create_pit_table}.
 */
public final class PitSchema {
    public static final String REFERENCE_ID = "reference_id";
    public static final String PACKAGE_NAME = "package_name";
    public static final String EVENT_TIMESTAMP = "event_timestamp";
    public static final String SUBMISSION_ID = "submission_id";
    public static final String SUBMITTED_BY = "submitted_by";
    public static final String INGEST_RUN_ID = "ingest_run_id";

    /** Field positions, for the writer's positional puts (no name lookups per row). */
    static final int POS_REFERENCE_ID = 0;
    static final int POS_PACKAGE_NAME = 1;
    static final int POS_EVENT_TIMESTAMP = 2;
    static final int POS_SUBMISSION_ID = 3;
    static final int POS_SUBMITTED_BY = 4;
    static final int POS_INGEST_RUN_ID = 5;

    public static final Schema SCHEMA = build();

    private PitSchema() {}

    private static Schema build() {
        Schema timestampMillis = LogicalTypes.timestampMillis().addToSchema(Schema.create(Schema.Type.LONG));
        return SchemaBuilder.record("security_of_interest_pit").namespace("dev.soi").fields()
                // NULL only in a tombstone row (a package set to no ids).
                .name(REFERENCE_ID).type().optional().longType()
                .name(PACKAGE_NAME).type().stringType().noDefault()
                .name(EVENT_TIMESTAMP).type(timestampMillis).noDefault()
                .name(SUBMISSION_ID).type().stringType().noDefault()
                .name(SUBMITTED_BY).type().stringType().noDefault()
                .name(INGEST_RUN_ID).type().stringType().noDefault()
                .endRecord();
    }
}
