package dev.soi.api;

import static dev.soi.core.domain.Checks.requireNonNull;

import dev.soi.api.web.ApiProblem;
import dev.soi.api.web.ProblemType;
import dev.soi.api.web.Responses.LatestPackage;
import dev.soi.api.web.Responses.PackagePage;
import dev.soi.api.web.Responses.PackageSummary;
import dev.soi.api.web.Responses.SubmissionStatus;
import dev.soi.core.domain.BusinessUnit;
import dev.soi.core.domain.PackageName;
import dev.soi.core.domain.StorageLayout;
import dev.soi.core.domain.SubmissionId;
import dev.soi.core.port.ObjectStore;
import dev.soi.core.port.ObjectStoreException;
import dev.soi.core.readmodel.IndexEntry;
import dev.soi.core.readmodel.IndexPages;
import dev.soi.core.readmodel.PackageDocument;
import dev.soi.core.readmodel.ReadModelObjects;
import dev.soi.core.readmodel.SubmissionStatusDocument;
import dev.soi.core.readmodel.UnreadableReadModelException;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.json.JsonMapper;

/**
 * The API's reads: objects of the read model the batch publishes with each latest version ({@code _read_model/}, see
 * {@link StorageLayout}), one GET per answer, never a query. A package lookup reads its object; a listing page reads the
 * one page object that holds it (two when the size does not divide {@value StorageLayout#READ_MODEL_INDEX_PAGE_PACKAGES});
 * a status reads the submission's status object, and, while there is none, the batch's dead-letter record.
 *
 * <p>"Not found" is only said once the read model is known to be published (its marker exists; once seen, it stays, so
 * a process checks it once). Before that, and whenever an object cannot be read (the store fails, or an object is
 * damaged), the answer is 503 {@code query-failed} with {@code Retry-After}. Thread-safe.
 */
public final class ReadModelReads {
    private static final Logger log = LoggerFactory.getLogger(ReadModelReads.class);
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final ObjectStore store;
    private final ReadModelObjects objects;
    private final Duration retryAfter;
    private volatile boolean published;

    public ReadModelReads(ObjectStore store, Duration retryAfter) {
        this.store = requireNonNull(store, "object store");
        this.objects = new ReadModelObjects(store);
        this.retryAfter = requireNonNull(retryAfter, "retry after");
    }

    /** The package's latest version, or empty when it is not in the latest table (never applied, or deleted). */
    public Optional<LatestPackage> latestPackage(BusinessUnit unit, PackageName name) {
        Optional<PackageDocument> document = read(() -> objects.packageOf(unit, name)).filter(d -> !d.deleted());
        if (document.isEmpty()) {
            requirePublished();
        }
        return document.map(d -> new LatestPackage(unit.code(), name.value(), d.referenceIds(), d.eventTimestamp().toString(),
                d.submissionId().toString()));
    }

    public PackagePage page(BusinessUnit unit, int page, int size) {
        IndexPages.Slice slice = read(() -> objects.listing(unit, page, size));
        if (slice.entries().isEmpty()) {
            requirePublished();
        }
        return new PackagePage(unit.code(), page, size, slice.entries().stream().map(ReadModelReads::summary).toList(), slice.hasNext());
    }

    /**
     * APPLIED (with the submission that superseded it, if one did) once a run published its status; else DEAD_LETTERED
     * while the batch's dead-letter record exists; else QUEUED, which is only said once the read model is published.
     */
    public SubmissionStatus status(BusinessUnit unit, SubmissionId id) {
        String canonical = id.toString();
        Optional<SubmissionStatusDocument> applied = read(() -> objects.statusOf(unit, id));
        if (applied.isPresent()) {
            SubmissionId by = applied.get().supersededBy();
            return new SubmissionStatus(canonical, unit.code(), "APPLIED", null, by == null ? null : by.toString());
        }
        Optional<String> reason = deadLetterReason(id);
        if (reason.isEmpty()) {
            requirePublished();
        }
        return reason.map(r -> new SubmissionStatus(canonical, unit.code(), "DEAD_LETTERED", r, null))
                .orElseGet(() -> new SubmissionStatus(canonical, unit.code(), "QUEUED", null, null));
    }

    /**
     * Why the batch dead-lettered this submission, from the record it leaves ({@code _dead_letters/{id}.json}) when it
     * moves a message to the dead-letter queue, or finds one SQS moved there; a redrive deletes the record. An unreadable
     * record still counts, with that said as the reason.
     */
    private Optional<String> deadLetterReason(SubmissionId id) {
        return read(() -> store.get(StorageLayout.deadLetterKey(id))).map(o -> {
            try {
                return JSON.readTree(o.content()).path("reason").asString("no reason recorded");
            } catch (RuntimeException e) {
                return "the dead-letter record " + StorageLayout.deadLetterKey(id) + " cannot be read";
            }
        });
    }

    /** Throws 503 unless the read model was published: before that, "not found" could be false. */
    private void requirePublished() {
        if (!published) {
            published = read(objects::marker).isPresent();
            if (!published) {
                log.warn("read model not published yet ({} is missing)", StorageLayout.READ_MODEL_PUBLISHED_KEY);
                throw unavailable("the read model has not been published yet: the batch publishes it at bootstrap and with each run; retry later");
            }
        }
    }

    private <T> T read(Supplier<T> read) {
        try {
            return read.get();
        } catch (UnreadableReadModelException e) {
            log.warn("read-model read failed: {}", e.getMessage());
            throw unavailable("the read model's object for this request is damaged, so no answer from it can be trusted; "
                    + "retry later, once the batch has published it again");
        } catch (ObjectStoreException e) {
            log.warn("read-model read failed: {}", e.getMessage());
            throw unavailable("the object store holding the read model did not answer; retry later");
        }
    }

    private ApiProblem unavailable(String detail) {
        return new ApiProblem(ProblemType.READ_MODEL_UNAVAILABLE, detail, null, Map.of("Retry-After", Long.toString(retryAfter.toSeconds())));
    }

    private static PackageSummary summary(IndexEntry entry) {
        return new PackageSummary(entry.name().value(), entry.referenceIdsCount(), entry.eventTimestamp().toString(),
                entry.submissionId().toString());
    }
}
