package dev.soi.parquet;

import static dev.soi.core.domain.Checks.checkArgument;
import static dev.soi.core.domain.Checks.requireNonNull;

import dev.soi.core.domain.PitRow;
import dev.soi.core.port.ObjectStore;
import dev.soi.core.port.PendingUpload;
import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.parquet.avro.AvroParquetWriter;
import org.apache.parquet.conf.PlainParquetConfiguration;
import org.apache.parquet.hadoop.ParquetFileWriter;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;

/**
 * Streams PIT rows into one Snappy-compressed Parquet file written to an {@link ObjectStore.Upload}. The
 * object becomes visible only on {@link #commit()}; {@link #close()} without a commit discards it, so a
 * crash never leaves a half-written file under a table's folder.
 *
 * <p>Hadoop is not needed at run time: the writer runs on {@link PlainParquetConfiguration} with the
 * generic Avro data model and {@link SnappyCodecFactory}. One {@link GenericRecord} is reused for every
 * row, so writing allocates little beyond Parquet's own buffers. Not thread-safe: one writer per file.
 */
public final class PitParquetWriter implements Closeable {
    /**
     * Row group size: Parquet flushes a row group when its buffered (not yet encoded and compressed) data
     * reaches this, so it also bounds the writer's memory. Compressed, such a row group is far smaller.
     */
    public static final long DEFAULT_ROW_GROUP_BYTES = 128L * 1024 * 1024;

    private final ObjectStore.Upload upload;
    private final UploadOutputFile file;
    private final ParquetWriter<GenericRecord> writer;
    private final GenericData.Record record = new GenericData.Record(PitSchema.SCHEMA);
    private long rows;
    private boolean finished;
    private boolean committed;
    private long bytes;

    private PitParquetWriter(ObjectStore.Upload upload, String key, long rowGroupBytes) throws IOException {
        this.upload = upload;
        this.file = new UploadOutputFile(upload, key);
        this.writer = AvroParquetWriter.<GenericRecord>builder(file)
                .withConf(new PlainParquetConfiguration())
                .withDataModel(GenericData.get())
                .withSchema(PitSchema.SCHEMA)
                .withCodecFactory(SnappyCodecFactory.INSTANCE)
                .withCompressionCodec(CompressionCodecName.SNAPPY)
                .withRowGroupSize(rowGroupBytes)
                .withWriteMode(ParquetFileWriter.Mode.OVERWRITE)
                .build();
    }

    /**
     * Opens a writer over {@code upload} (already started for {@code key}). On failure the upload is closed,
     * which discards it.
     */
    public static PitParquetWriter open(ObjectStore.Upload upload, String key, long rowGroupBytes) {
        requireNonNull(upload, "upload");
        requireNonNull(key, "key");
        checkArgument(rowGroupBytes >= 1024 * 1024, "row group size must be at least 1 MiB: %d", rowGroupBytes);
        try {
            return new PitParquetWriter(upload, key, rowGroupBytes);
        } catch (IOException | RuntimeException e) {
            closeQuietly(upload, e);
            throw e instanceof IOException io ? new UncheckedIOException("cannot open Parquet writer for " + key, io) : (RuntimeException) e;
        }
    }

    public void write(PitRow row) {
        write(row.referenceId(), row.packageName().value(), row.eventTimestamp().toEpochMilli(),
                row.submissionId().toString(), row.submittedBy(), row.ingestRunId());
    }

    /** Writes one row from its column values; {@code referenceId} is null for a tombstone. */
    public void write(Long referenceId, String packageName, long eventTimestampMillis, String submissionId,
                      String submittedBy, String ingestRunId) {
        checkArgument(!finished, "writer for %s is finished", file.getPath());
        record.put(PitSchema.POS_REFERENCE_ID, referenceId);
        record.put(PitSchema.POS_PACKAGE_NAME, packageName);
        record.put(PitSchema.POS_EVENT_TIMESTAMP, eventTimestampMillis);
        record.put(PitSchema.POS_SUBMISSION_ID, submissionId);
        record.put(PitSchema.POS_SUBMITTED_BY, submittedBy);
        record.put(PitSchema.POS_INGEST_RUN_ID, ingestRunId);
        try {
            writer.write(record);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write Parquet row to " + file.getPath(), e);
        }
        rows++;
    }

    public long rows() {
        return rows;
    }

    /**
     * Bytes of the row groups already flushed to the upload: the real, encoded and compressed size so far.
     * Roll files on this, not on {@link #bufferedBytes()}: the buffered figure counts values before
     * dictionary encoding and compression, and overstates the final size several times over.
     */
    public long flushedBytes() {
        try {
            return finished ? bytes : file.bytesWritten();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Flushed bytes plus the raw size of the row group being buffered (an upper bound of the final size). */
    public long bufferedBytes() {
        return finished ? bytes : writer.getDataSize();
    }

    /** Writes the footer and commits the upload: the object becomes visible. Returns the file's size. */
    public Result commit() {
        return finish(true);
    }

    /**
     * Writes the footer and stages the upload: the whole file is in the store, invisible until
     * {@link ObjectStore#completeUpload} of the result's {@link Result#upload()}.
     */
    public Result stage() {
        return finish(false);
    }

    private Result finish(boolean visible) {
        checkArgument(!finished, "writer for %s is finished", file.getPath());
        try {
            finished = true;
            writer.close();
            bytes = file.bytesWritten();
            PendingUpload pending = null;
            if (visible) {
                upload.commit();
            } else {
                pending = upload.stage();
            }
            committed = true;
            return new Result(file.getPath(), rows, bytes, pending);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot finish Parquet file " + file.getPath(), e);
        }
    }

    /** Discards the file unless it was committed or staged. */
    @Override
    public void close() {
        try {
            if (!finished) {
                finished = true;
                try {
                    writer.close();
                } catch (IOException | RuntimeException ignored) {
                    // The upload is discarded below; a failing footer write changes nothing.
                }
            }
        } finally {
            try {
                upload.close();
            } catch (IOException e) {
                if (!committed) {
                    throw new UncheckedIOException("cannot discard upload " + file.getPath(), e);
                }
            }
        }
    }

    private static void closeQuietly(ObjectStore.Upload upload, Exception cause) {
        try {
            upload.close();
        } catch (IOException e) {
            cause.addSuppressed(e);
        }
    }

    /** A finished file: its key, rows and size in bytes, and, when it was staged, the upload that completes it. */
    public record Result(String key, long rows, long bytes, PendingUpload upload) {}
}
