package dev.soi.api.security;

import static dev.soi.core.domain.Checks.requireNonNull;

import java.util.Set;

/** The authenticated caller: who (recorded as {@code submitted_by}) and which business units they may use. */
public record Caller(String name, Set<String> businessUnits) {
    public Caller {
        requireNonNull(name, "caller name");
        businessUnits = Set.copyOf(requireNonNull(businessUnits, "business units"));
    }

    public boolean mayUse(String businessUnit) {
        return businessUnits.contains(businessUnit);
    }
}
