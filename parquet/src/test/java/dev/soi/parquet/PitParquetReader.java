package dev.soi.parquet;

import static dev.soi.core.domain.Checks.requireNonNull;

import dev.soi.core.domain.PackageName;
import dev.soi.core.domain.PitPartition;
import dev.soi.core.domain.PitRow;
import dev.soi.core.domain.StorageLayout;
import dev.soi.core.domain.SubmissionId;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.parquet.ParquetReadOptions;
import org.apache.parquet.column.page.PageReadStore;
import org.apache.parquet.conf.PlainParquetConfiguration;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.example.data.simple.convert.GroupRecordConverter;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.io.ColumnIOFactory;
import org.apache.parquet.io.DelegatingSeekableInputStream;
import org.apache.parquet.io.InputFile;
import org.apache.parquet.io.MessageColumnIO;
import org.apache.parquet.io.RecordReader;
import org.apache.parquet.io.SeekableInputStream;
import org.apache.parquet.schema.LogicalTypeAnnotation;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.PrimitiveType;

/**
 * Reads a PIT Parquet file held in memory back into rows, for tests and test fakes (shared through the
 * test-jar). It lives in test code because parquet-java's read options always build Hadoop's codec
 * factory, so reading needs {@code hadoop-client-api} on the classpath (it is {@code provided}, so present
 * in tests only); writing does not. The product never reads its files back: the engines do.
 */
public final class PitParquetReader {
    private PitParquetReader() {}

    /** The rows of the PIT file stored under {@code key}; its partition is read from the key's folder names. */
    public static List<PitRow> read(String key, byte[] content) {
        return read(content, StorageLayout.partitionOf(key).orElseThrow(() -> new IllegalArgumentException("not a PIT file: " + key)));
    }

    /** The rows of one file of {@code partition}, in file order; the partition supplies unit and date. */
    public static List<PitRow> read(byte[] content, PitPartition partition) {
        requireNonNull(content, "content");
        requireNonNull(partition, "partition");
        List<PitRow> rows = new ArrayList<>();
        // The low-level reader with the example Group model keeps Avro's Hadoop-typed builder out of the way.
        ParquetReadOptions options = ParquetReadOptions.builder(new PlainParquetConfiguration())
                .withCodecFactory(SnappyCodecFactory.INSTANCE).build();
        try (ParquetFileReader reader = ParquetFileReader.open(inputFile(content), options)) {
            MessageType schema = reader.getFooter().getFileMetaData().getSchema();
            MessageColumnIO columns = new ColumnIOFactory().getColumnIO(schema);
            // The batch writes milliseconds; an engine that rewrites the files may write micro- or nanoseconds (DuckDB's COPY)
            // or Hive's INT96 (Trino's and Athena's CTAS).
            boolean int96 = schema.getType(PitSchema.EVENT_TIMESTAMP).asPrimitiveType().getPrimitiveTypeName()
                    == PrimitiveType.PrimitiveTypeName.INT96;
            LogicalTypeAnnotation.TimeUnit unit = schema.getType(PitSchema.EVENT_TIMESTAMP).getLogicalTypeAnnotation()
                    instanceof LogicalTypeAnnotation.TimestampLogicalTypeAnnotation ts ? ts.getUnit() : LogicalTypeAnnotation.TimeUnit.MILLIS;
            for (PageReadStore group = reader.readNextRowGroup(); group != null; group = reader.readNextRowGroup()) {
                RecordReader<Group> records = columns.getRecordReader(group, new GroupRecordConverter(schema));
                for (long i = 0; i < group.getRowCount(); i++) {
                    Group r = records.read();
                    Long referenceId = r.getFieldRepetitionCount(PitSchema.REFERENCE_ID) == 0 ? null : r.getLong(PitSchema.REFERENCE_ID, 0);
                    rows.add(new PitRow(referenceId, PackageName.of(r.getString(PitSchema.PACKAGE_NAME, 0)),
                            int96 ? int96(r.getInt96(PitSchema.EVENT_TIMESTAMP, 0).getBytes())
                                    : instant(r.getLong(PitSchema.EVENT_TIMESTAMP, 0), unit),
                            SubmissionId.parse(r.getString(PitSchema.SUBMISSION_ID, 0)),
                            r.getString(PitSchema.SUBMITTED_BY, 0), r.getString(PitSchema.INGEST_RUN_ID, 0),
                            partition.businessUnit(), partition.requestDate()));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read Parquet file of " + partition.path(), e);
        }
        return rows;
    }

    /** Hive's INT96 timestamp: nanoseconds of the day, then the Julian day, both little-endian. */
    private static Instant int96(byte[] bytes) {
        java.nio.ByteBuffer buffer = java.nio.ByteBuffer.wrap(bytes).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        long nanosOfDay = buffer.getLong();
        long julianDay = Integer.toUnsignedLong(buffer.getInt());
        return Instant.EPOCH.plus(java.time.Duration.ofDays(julianDay - 2_440_588L)).plusNanos(nanosOfDay);
    }

    private static Instant instant(long value, LogicalTypeAnnotation.TimeUnit unit) {
        return switch (unit) {
            case MILLIS -> Instant.ofEpochMilli(value);
            case MICROS -> Instant.EPOCH.plus(value, java.time.temporal.ChronoUnit.MICROS);
            case NANOS -> Instant.EPOCH.plusNanos(value);
        };
    }

    static InputFile inputFile(byte[] content) {
        return new InputFile() {
            @Override
            public long getLength() {
                return content.length;
            }

            @Override
            public SeekableInputStream newStream() {
                ByteArrayInputStream in = new ByteArrayInputStream(content);
                // The position is derived from the buffer, because the delegating reads go straight to it.
                return new DelegatingSeekableInputStream(in) {
                    @Override
                    public long getPos() {
                        return content.length - in.available();
                    }

                    @Override
                    public void seek(long newPos) {
                        in.reset();
                        in.skip(newPos);
                    }
                };
            }
        };
    }
}
