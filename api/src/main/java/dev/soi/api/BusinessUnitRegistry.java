package dev.soi.api;

import static dev.soi.core.domain.Checks.checkArgument;
import static dev.soi.core.domain.Checks.requireNonNull;

import dev.soi.core.domain.BusinessUnit;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The business units that exist: {@code soi.business-units} (env {@code SOI_BUSINESS_UNITS}, comma
 * separated), default {@code AE,CMF}. A unit outside this list is answered 404 and never reaches the queue.
 */
@ConfigurationProperties("soi")
public record BusinessUnitRegistry(@DefaultValue({"AE", "CMF"}) List<String> businessUnits) {

    public BusinessUnitRegistry {
        requireNonNull(businessUnits, "soi.business-units");
        Set<String> seen = new LinkedHashSet<>();
        for (String code : businessUnits) {
            String trimmed = requireNonNull(code, "soi.business-units entry").strip();
            BusinessUnit.of(trimmed);
            seen.add(trimmed);
        }
        checkArgument(!seen.isEmpty(), "soi.business-units must name at least one business unit");
        businessUnits = List.copyOf(seen);
    }

    public static BusinessUnitRegistry of(String... codes) {
        return new BusinessUnitRegistry(List.of(codes));
    }

    /** The unit if {@code code} names a registered one; any other text (even badly formed) is empty. */
    public Optional<BusinessUnit> find(String code) {
        return code != null && businessUnits.contains(code) ? Optional.of(BusinessUnit.of(code)) : Optional.empty();
    }
}
