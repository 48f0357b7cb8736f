package dev.soi.core.write;

import static dev.soi.core.domain.Checks.checkArgument;
import static dev.soi.core.domain.Checks.requireNonNull;

import dev.soi.core.port.ObjectStore;
import dev.soi.core.port.ObjectStoreException;
import dev.soi.core.port.StoredObject;
import dev.soi.core.port.WriteOutcome;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Optional;
import java.util.function.Supplier;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Writes of JSON records whose outcome is known even when the store's answer is lost. A store can apply a write and
 * lose the answer (a timeout, a reset connection, a 500 after the write); the client's retry of a conditional write
 * then fails its own precondition, since the first write to finish wins and later ones get 412, and an {@code If-Match}
 * retry no longer matches the etag its own write replaced
 * (https://docs.aws.amazon.com/AmazonS3/latest/userguide/conditional-writes.html#conditional-error-response). So an
 * error or a 412 does not say who wrote the object.
 *
 * <p>Every write here stamps the record with a write token, {@value #TOKEN_FIELD}: the writer's id and a fresh random
 * nonce, unique to this one write. After an error or a failed precondition the object is read back: our token means the
 * write is done; another one means a rival's write is there (a lost race, or, after an error, a write of ours that
 * never landed, and the error is rethrown); a store that cannot be read either throws {@link WriteOutcomeUnknownException},
 * and the caller must touch nothing on the strength of what it last believed. Iceberg's
 * {@code CommitStateUnknownException} draws the same line: a commit whose outcome is unknown is never cleaned up.
 *
 * <p>The records are JSON objects; the token is one more top-level field, so readers that ignore unknown fields read them
 * as before. Thread-safe.
 */
public final class OwnWrites {
    /** The top-level field every record written here carries: {@code "<writer>/<nonce>"}. */
    public static final String TOKEN_FIELD = "write_token";

    private static final JsonMapper JSON = JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();
    private static final SecureRandom NONCES = new SecureRandom();

    private final ObjectStore store;
    private final String writer;
    private final Supplier<String> nonces;

    /** Writes to {@code store} as {@code writer} (a run id, an API instance): the token names it, for whoever reads the record. */
    public OwnWrites(ObjectStore store, String writer) {
        this(store, writer, OwnWrites::randomNonce);
    }

    OwnWrites(ObjectStore store, String writer, Supplier<String> nonces) {
        this.store = requireNonNull(store, "object store");
        this.writer = requireNonNull(writer, "writer");
        checkArgument(!writer.isBlank(), "writer is blank");
        this.nonces = requireNonNull(nonces, "nonces");
    }

    /**
     * What one write did.
     *
     * @param ours  whether the object under the key is now this write's
     * @param token this write's token
     * @param found the object as read back, when it was (after an error or a failed precondition); null when the store
     *              answered the write itself
     */
    public record Outcome(boolean ours, String token, StoredObject found) {
        /** The etag of the object as read back, if it was. */
        public Optional<String> foundEtag() {
            return Optional.ofNullable(found).map(StoredObject::etag);
        }
    }

    /** Creates {@code key} unless an object is there ({@code If-None-Match: *}). */
    public Outcome create(String key, byte[] json) {
        String token = newToken();
        byte[] stamped = stamp(json, token);
        return conditional(key, token, () -> store.putIfAbsent(key, stamped));
    }

    /** Replaces {@code key} if its etag is still {@code expectedEtag} ({@code If-Match}). */
    public Outcome replace(String key, byte[] json, String expectedEtag) {
        requireNonNull(expectedEtag, "expected etag");
        String token = newToken();
        byte[] stamped = stamp(json, token);
        return conditional(key, token, () -> store.putIfMatch(key, stamped, expectedEtag));
    }

    /** Writes {@code key} unconditionally; a failed call whose write landed anyway is done, one that did not is rethrown. */
    public Outcome put(String key, byte[] json) {
        String token = newToken();
        byte[] stamped = stamp(json, token);
        try {
            store.put(key, stamped);
            return new Outcome(true, token, null);
        } catch (ObjectStoreException failure) {
            StoredObject found = readBack(key, failure);
            if (found != null && token.equals(tokenOf(found.content()).orElse(null))) {
                return new Outcome(true, token, found);
            }
            throw failure;
        }
    }

    /** The object under {@code key} if the write that left {@code token} is still the one there. */
    public Optional<StoredObject> readOwn(String key, String token) {
        return store.get(key).filter(o -> token.equals(tokenOf(o.content()).orElse(null)));
    }

    /** The write token of a record, if it has one. */
    public static Optional<String> tokenOf(byte[] content) {
        try {
            JsonNode node = JSON.readTree(content);
            JsonNode token = node == null ? null : node.get(TOKEN_FIELD);
            return token != null && token.isString() ? Optional.of(token.asString()) : Optional.empty();
        } catch (JacksonException notJson) {
            return Optional.empty();
        }
    }

    /** The writer a record's token names (a batch run's id, an API instance), if it has a token. */
    public static Optional<String> writerOf(byte[] content) {
        return tokenOf(content).map(t -> t.substring(0, Math.max(0, t.lastIndexOf('/'))));
    }

    private interface ConditionalWrite {
        WriteOutcome write();
    }

    private Outcome conditional(String key, String token, ConditionalWrite write) {
        ObjectStoreException failure = null;
        try {
            if (write.write() == WriteOutcome.WRITTEN) {
                return new Outcome(true, token, null);
            }
        } catch (ObjectStoreException e) {
            failure = e;
        }
        // A failed precondition may be our own retried write; a failed call may have landed. Only the object can tell.
        StoredObject found = readBack(key, failure);
        if (found != null && token.equals(tokenOf(found.content()).orElse(null))) {
            return new Outcome(true, token, found);
        }
        if (failure != null) {
            throw failure;
        }
        return new Outcome(false, token, found);
    }

    private StoredObject readBack(String key, ObjectStoreException failure) {
        try {
            return store.get(key).orElse(null);
        } catch (RuntimeException readFailure) {
            throw new WriteOutcomeUnknownException(key, writer, failure, readFailure);
        }
    }

    private String newToken() {
        return writer + "/" + nonces.get();
    }

    /** {@code json}, a JSON object, with {@value #TOKEN_FIELD} set to {@code token}. */
    static byte[] stamp(byte[] json, String token) {
        JsonNode node;
        try {
            node = JSON.readTree(requireNonNull(json, "record"));
        } catch (JacksonException e) {
            throw new IllegalArgumentException("a record written with a write token must be a JSON object: " + e.getOriginalMessage(), e);
        }
        checkArgument(node instanceof ObjectNode, "a record written with a write token must be a JSON object, not %s",
                node == null ? "nothing" : node.getNodeType());
        ((ObjectNode) node).put(TOKEN_FIELD, token);
        return JSON.writeValueAsBytes(node);
    }

    private static String randomNonce() {
        byte[] bytes = new byte[16];
        NONCES.nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }
}
