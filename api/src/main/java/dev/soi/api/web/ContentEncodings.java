package dev.soi.api.web;

import java.io.EOFException;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Locale;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;
import org.springframework.http.HttpHeaders;

/**
 * The request {@code Content-Encoding}s the API decodes: none ({@code identity}) and {@code gzip}; any
 * other, or a list of them, is 415 with {@code Accept-Encoding: gzip} (RFC 7694). The body limit
 * ({@code soi.api.limits.max-body}) counts the decoded bytes, since {@link BoundedBody} reads what this
 * returns: a zip bomb is cut off at the limit, never inflated in full.
 */
public final class ContentEncodings {
    private ContentEncodings() {}

    public static InputStream decode(String contentEncoding, InputStream body) {
        String encoding = contentEncoding == null ? "identity" : contentEncoding.strip().toLowerCase(Locale.ROOT);
        return switch (encoding) {
            case "", "identity" -> body;
            case "gzip", "x-gzip" -> gunzip(body);
            default -> throw new ApiProblem(ProblemType.UNSUPPORTED_CONTENT_ENCODING, "Content-Encoding "
                    + dev.soi.core.domain.Checks.show(contentEncoding) + " is not decoded here; send the body as is or as gzip",
                    null, Map.of(HttpHeaders.ACCEPT_ENCODING, "gzip"));
        };
    }

    private static InputStream gunzip(InputStream body) {
        try {
            return new FilterInputStream(new GZIPInputStream(body, 8192)) {
                @Override
                public int read(byte[] buffer, int offset, int length) throws IOException {
                    try {
                        return super.read(buffer, offset, length);
                    } catch (ZipException | EOFException e) {
                        throw corrupt();
                    }
                }
            };
        } catch (ZipException | EOFException e) {
            throw corrupt();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("cannot read request body", e);
        }
    }

    private static ApiProblem corrupt() {
        return new ApiProblem(ProblemType.INVALID_CONTENT_ENCODING, "Content-Encoding is gzip but the body is not valid gzip data");
    }
}
