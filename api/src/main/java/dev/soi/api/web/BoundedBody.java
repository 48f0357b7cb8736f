package dev.soi.api.web;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * Reads a request body up to a limit. The declared Content-Length is checked first, so an honest
 * oversized request is refused without reading it; the bytes are counted too, because a chunked body
 * declares no length and a client may lie.
 */
public final class BoundedBody {
    private BoundedBody() {}

    /**
     * @param declaredLength the Content-Length, or -1 if none was sent
     * @throws ApiProblem 413 when the body is longer than {@code maxBytes}
     */
    public static byte[] read(InputStream in, long declaredLength, int maxBytes) {
        if (declaredLength > maxBytes) {
            throw tooLarge(maxBytes, "Content-Length is " + declaredLength + " bytes");
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(declaredLength > 0 ? (int) declaredLength : 8192);
        byte[] buffer = new byte[8192];
        long total = 0;
        try {
            int n;
            while ((n = in.read(buffer)) != -1) {
                total += n;
                if (total > maxBytes) {
                    throw tooLarge(maxBytes, "the body exceeded it while being read");
                }
                out.write(buffer, 0, n);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read request body", e);
        }
        return out.toByteArray();
    }

    private static ApiProblem tooLarge(int maxBytes, String why) {
        return new ApiProblem(ProblemType.BODY_TOO_LARGE,
                "request body is limited to " + maxBytes + " bytes (soi.api.limits.max-body); " + why);
    }
}
