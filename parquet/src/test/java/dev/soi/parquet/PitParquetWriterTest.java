package dev.soi.parquet;

import static org.assertj.core.api.Assertions.assertThat;

import dev.soi.core.domain.BusinessUnit;
import dev.soi.core.domain.PackageName;
import dev.soi.core.domain.PitPartition;
import dev.soi.core.domain.PitRow;
import dev.soi.core.domain.SubmissionId;
import dev.soi.core.port.ObjectStore;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.apache.avro.LogicalTypes;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.parquet.avro.AvroParquetReader;
import org.apache.parquet.conf.PlainParquetConfiguration;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.ParquetReader;
import org.apache.parquet.hadoop.metadata.BlockMetaData;
import org.apache.parquet.hadoop.metadata.ColumnChunkMetaData;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.io.LocalInputFile;
import org.apache.parquet.schema.LogicalTypeAnnotation;
import org.apache.parquet.schema.MessageType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PitParquetWriterTest {
    private static final Instant AT = Instant.parse("2026-11-23T03:25:00.123Z");
    private static final PitPartition PARTITION = new PitPartition(BusinessUnit.of("AE"), LocalDate.of(2026, 11, 23));

    @TempDir
    Path dir;

    @Test
    void writtenRowsReadBackExactlyWithSnappyAndTimestampMillis() throws IOException {
        SubmissionId id = SubmissionId.generate(AT, new Random(1));
        List<PitRow> rows = List.of(
                row(null, "job_0", id),
                row(123L, "job_1", id),
                row(456L, "job_1", id));
        MemoryUpload upload = new MemoryUpload();

        PitParquetWriter.Result result;
        try (PitParquetWriter writer = PitParquetWriter.open(upload, "k.parquet", PitParquetWriter.DEFAULT_ROW_GROUP_BYTES)) {
            rows.forEach(writer::write);
            result = writer.commit();
        }

        assertThat(upload.committed).isTrue();
        assertThat(result.rows()).isEqualTo(3);
        assertThat(result.bytes()).isEqualTo(upload.bytes.size());
        Path copy = dir.resolve("copy.parquet");
        Files.write(copy, upload.bytes.toByteArray());

        List<GenericRecord> read = new ArrayList<>();
        try (ParquetReader<GenericRecord> reader = AvroParquetReader.<GenericRecord>builder(new LocalInputFile(copy), new PlainParquetConfiguration())
                .withDataModel(GenericData.get()).withCodecFactory(SnappyCodecFactory.INSTANCE).build()) {
            for (GenericRecord r = reader.read(); r != null; r = reader.read()) {
                read.add(r);
            }
        }
        assertThat(read).extracting(r -> r.get("reference_id")).containsExactly(null, 123L, 456L);
        assertThat(read).extracting(r -> r.get("package_name").toString()).containsExactly("job_0", "job_1", "job_1");
        assertThat(read).extracting(r -> r.get("event_timestamp")).containsOnly(AT.toEpochMilli());
        assertThat(read).extracting(r -> r.get("submission_id").toString()).containsOnly(id.toString());
        assertThat(read).extracting(r -> r.get("submitted_by").toString()).containsOnly("alice");
        assertThat(read).extracting(r -> r.get("ingest_run_id").toString()).containsOnly("20261123t032500z-0000000a");
        assertThat(read.get(0).getSchema().getField("event_timestamp").schema().getLogicalType())
                .isEqualTo(LogicalTypes.timestampMillis());

        try (ParquetFileReader footer = ParquetFileReader.open(new LocalInputFile(copy),
                org.apache.parquet.ParquetReadOptions.builder(new PlainParquetConfiguration()).withCodecFactory(SnappyCodecFactory.INSTANCE).build())) {
            MessageType schema = footer.getFooter().getFileMetaData().getSchema();
            assertThat(schema.getFields().stream().map(org.apache.parquet.schema.Type::getName).toList()).containsExactly(
                    "reference_id", "package_name", "event_timestamp", "submission_id", "submitted_by", "ingest_run_id");
            assertThat(schema.getType("event_timestamp").getLogicalTypeAnnotation())
                    .isEqualTo(LogicalTypeAnnotation.timestampType(true, LogicalTypeAnnotation.TimeUnit.MILLIS));
            List<BlockMetaData> blocks = footer.getFooter().getBlocks();
            assertThat(blocks).hasSize(1);
            assertThat(blocks.get(0).getColumns()).extracting(ColumnChunkMetaData::getCodec).containsOnly(CompressionCodecName.SNAPPY);
        }

        assertThat(PitParquetReader.read(upload.bytes.toByteArray(), PARTITION)).containsExactlyElementsOf(rows);
    }

    @Test
    void closeWithoutCommitDiscardsTheUpload() {
        MemoryUpload upload = new MemoryUpload();
        try (PitParquetWriter writer = PitParquetWriter.open(upload, "k.parquet", PitParquetWriter.DEFAULT_ROW_GROUP_BYTES)) {
            writer.write(row(1L, "job_1", SubmissionId.generate(AT, new Random(2))));
        }
        assertThat(upload.committed).isFalse();
        assertThat(upload.discarded).isTrue();
    }

    @Test
    void aStagedFileIsWholeButNeitherPublishedNorDiscardedAndNamesItsUpload() {
        MemoryUpload upload = new MemoryUpload();
        SubmissionId id = SubmissionId.generate(AT, new Random(3));
        PitParquetWriter.Result result;
        try (PitParquetWriter writer = PitParquetWriter.open(upload, "k.parquet", PitParquetWriter.DEFAULT_ROW_GROUP_BYTES)) {
            writer.write(row(1L, "job_1", id));
            result = writer.stage();
        }
        assertThat(upload.staged).isTrue();
        assertThat(upload.committed).isFalse();
        assertThat(upload.discarded).as("closing a staged file keeps its upload").isFalse();
        assertThat(result.rows()).isEqualTo(1);
        assertThat(result.bytes()).isEqualTo(upload.bytes.size());
        assertThat(result.upload().uploadId()).isEqualTo("upload-1");
        assertThat(PitParquetReader.read(upload.bytes.toByteArray(), PARTITION)).containsExactly(row(1L, "job_1", id));
    }

    private static PitRow row(Long referenceId, String pkg, SubmissionId id) {
        return new PitRow(referenceId, PackageName.of(pkg), AT, id, "alice", "20261123t032500z-0000000a",
                PARTITION.businessUnit(), PARTITION.requestDate());
    }

    /** An upload that keeps its bytes in view, so the test can read the file even before a commit. */
    private static final class MemoryUpload extends ObjectStore.Upload {
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        boolean committed;
        boolean staged;
        boolean discarded;

        MemoryUpload() {
            super("pit.parquet");
        }

        @Override
        protected void append(byte[] b, int off, int len) {
            bytes.write(b, off, len);
        }

        @Override
        protected void publish() {
            committed = true;
        }

        @Override
        protected dev.soi.core.port.PendingUpload keep() {
            staged = true;
            return new dev.soi.core.port.PendingUpload("pit.parquet", "upload-1", java.util.List.of(), bytes.size());
        }

        /** Called only by a close without a commit. */
        @Override
        protected void discard() {
            discarded = true;
        }
    }
}
