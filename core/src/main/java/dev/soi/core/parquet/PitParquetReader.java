package dev.soi.core.parquet;

import static dev.soi.core.domain.Checks.requireNonNull;

import dev.soi.core.domain.PackageName;
import dev.soi.core.domain.PitPartition;
import dev.soi.core.domain.PitRow;
import dev.soi.core.domain.SubmissionId;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.parquet.avro.AvroParquetReader;
import org.apache.parquet.conf.PlainParquetConfiguration;
import org.apache.parquet.hadoop.ParquetReader;
import org.apache.parquet.io.DelegatingSeekableInputStream;
import org.apache.parquet.io.InputFile;
import org.apache.parquet.io.SeekableInputStream;

/**
 * Reads a PIT Parquet file held in memory back into rows, without Hadoop. For verification and tests
 * (lineage checks, fakes that answer queries); the engines read the files themselves.
 */
public final class PitParquetReader {
    private PitParquetReader() {}

    /** The rows of one file of {@code partition}, in file order; the partition supplies unit and date. */
    public static List<PitRow> read(byte[] content, PitPartition partition) {
        requireNonNull(content, "content");
        requireNonNull(partition, "partition");
        List<PitRow> rows = new ArrayList<>();
        try (ParquetReader<GenericRecord> reader = AvroParquetReader.<GenericRecord>builder(inputFile(content), new PlainParquetConfiguration())
                .withDataModel(GenericData.get())
                .withCodecFactory(SnappyCodecFactory.INSTANCE)
                .build()) {
            for (GenericRecord r = reader.read(); r != null; r = reader.read()) {
                Object referenceId = r.get(PitSchema.REFERENCE_ID);
                Object timestamp = r.get(PitSchema.EVENT_TIMESTAMP);
                Instant at = timestamp instanceof Instant instant ? instant : Instant.ofEpochMilli((Long) timestamp);
                rows.add(new PitRow(referenceId == null ? null : (Long) referenceId,
                        PackageName.of(r.get(PitSchema.PACKAGE_NAME).toString()), at,
                        SubmissionId.parse(r.get(PitSchema.SUBMISSION_ID).toString()),
                        r.get(PitSchema.SUBMITTED_BY).toString(), r.get(PitSchema.INGEST_RUN_ID).toString(),
                        partition.businessUnit(), partition.requestDate()));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read Parquet file of " + partition.path(), e);
        }
        return rows;
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
