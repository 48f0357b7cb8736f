package dev.soi.api.idempotency;

import dev.soi.core.domain.BusinessUnit;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** One process's keys, lost on restart. Expired keys are replaced when reused and swept on each claim. */
public final class InMemoryIdempotencyStore implements IdempotencyStore {
    private final Map<String, IdempotencyEntry> entries = new ConcurrentHashMap<>();

    @Override
    public Optional<IdempotencyEntry> claim(BusinessUnit unit, String key, IdempotencyEntry entry, Instant now) {
        IdempotencyEntry[] holder = new IdempotencyEntry[1];
        entries.compute(id(unit, key), (k, existing) -> {
            if (existing != null && existing.isLive(now)) {
                holder[0] = existing;
                return existing;
            }
            return entry;
        });
        // Bounded memory: without a sweep, a key used once would stay forever.
        entries.values().removeIf(e -> !e.isLive(now) && e != entry);
        return Optional.ofNullable(holder[0]);
    }

    @Override
    public void complete(BusinessUnit unit, String key, IdempotencyEntry entry) {
        entries.computeIfPresent(id(unit, key), (k, existing) ->
                existing.submissionId().equals(entry.submissionId()) ? entry.completed() : existing);
    }

    @Override
    public void forget(BusinessUnit unit, String key, IdempotencyEntry entry) {
        entries.computeIfPresent(id(unit, key), (k, existing) ->
                existing.submissionId().equals(entry.submissionId()) ? null : existing);
    }

    private static String id(BusinessUnit unit, String key) {
        return unit.code() + "\n" + key;
    }
}
