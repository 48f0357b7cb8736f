package dev.soi.parquet;

import java.io.IOException;
import java.nio.ByteBuffer;
import org.apache.parquet.bytes.BytesInput;
import org.apache.parquet.compression.CompressionCodecFactory;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.xerial.snappy.Snappy;

/**
 * Snappy (and no compression) straight over snappy-java. Parquet's own {@code CodecFactory} instantiates
 * Hadoop codec classes, which would pull Hadoop onto the run-time classpath; this factory keeps it off.
 * Stateless, so one instance serves every writer and reader.
 */
public final class SnappyCodecFactory implements CompressionCodecFactory {
    public static final SnappyCodecFactory INSTANCE = new SnappyCodecFactory();

    private SnappyCodecFactory() {}

    @Override
    public BytesInputCompressor getCompressor(CompressionCodecName codec) {
        return switch (codec) {
            case SNAPPY -> new BytesInputCompressor() {
                @Override
                public BytesInput compress(BytesInput bytes) throws IOException {
                    return BytesInput.from(Snappy.compress(bytes.toByteArray()));
                }

                @Override
                public CompressionCodecName getCodecName() {
                    return CompressionCodecName.SNAPPY;
                }

                @Override
                public void release() {}
            };
            case UNCOMPRESSED -> new BytesInputCompressor() {
                @Override
                public BytesInput compress(BytesInput bytes) {
                    return bytes;
                }

                @Override
                public CompressionCodecName getCodecName() {
                    return CompressionCodecName.UNCOMPRESSED;
                }

                @Override
                public void release() {}
            };
            default -> throw new IllegalArgumentException("codec " + codec + " is not supported; use SNAPPY or UNCOMPRESSED");
        };
    }

    @Override
    public BytesInputDecompressor getDecompressor(CompressionCodecName codec) {
        return switch (codec) {
            case SNAPPY -> new BytesInputDecompressor() {
                @Override
                public BytesInput decompress(BytesInput bytes, int uncompressedSize) throws IOException {
                    byte[] out = new byte[uncompressedSize];
                    byte[] in = bytes.toByteArray();
                    int n = Snappy.uncompress(in, 0, in.length, out, 0);
                    if (n != uncompressedSize) {
                        throw new IOException("snappy page decompressed to " + n + " bytes, expected " + uncompressedSize);
                    }
                    return BytesInput.from(out);
                }

                @Override
                public void decompress(ByteBuffer input, int compressedSize, ByteBuffer output, int uncompressedSize)
                        throws IOException {
                    byte[] in = new byte[compressedSize];
                    input.get(in);
                    byte[] out = new byte[uncompressedSize];
                    int n = Snappy.uncompress(in, 0, compressedSize, out, 0);
                    if (n != uncompressedSize) {
                        throw new IOException("snappy page decompressed to " + n + " bytes, expected " + uncompressedSize);
                    }
                    output.put(out);
                }

                @Override
                public void release() {}
            };
            case UNCOMPRESSED -> new BytesInputDecompressor() {
                @Override
                public BytesInput decompress(BytesInput bytes, int uncompressedSize) {
                    return bytes;
                }

                @Override
                public void decompress(ByteBuffer input, int compressedSize, ByteBuffer output, int uncompressedSize) {
                    ByteBuffer slice = input.slice();
                    slice.limit(compressedSize);
                    output.put(slice);
                    input.position(input.position() + compressedSize);
                }

                @Override
                public void release() {}
            };
            default -> throw new IllegalArgumentException("codec " + codec + " is not supported; use SNAPPY or UNCOMPRESSED");
        };
    }

    @Override
    public void release() {}
}
