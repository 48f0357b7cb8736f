package dev.soi.batch.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class BatchPropertiesTest {

    @Test
    void defaultsAreDocumentedValues() {
        BatchProperties defaults = BatchProperties.defaults();

        assertThat(defaults.units()).isEmpty();
        assertThat(defaults.receivers()).isEqualTo(4);
        assertThat(defaults.maxMessages()).isEqualTo(100_000);
        assertThat(defaults.maxBytes()).isEqualTo(512L * 1024 * 1024);
        assertThat(defaults.maxSeconds()).isEqualTo(300);
        assertThat(defaults.receiveWait()).isEqualTo(Duration.ofSeconds(2));
        assertThat(defaults.visibilityTimeout()).isEqualTo(Duration.ofSeconds(60));
        assertThat(defaults.targetFileBytes()).isEqualTo(128L * 1024 * 1024);
        assertThat(defaults.latestKeepVersions()).isEqualTo(3);
        assertThat(defaults.latestGracePeriod()).isEqualTo(Duration.ofHours(1));
        assertThat(defaults.leaseTtl()).isEqualTo(Duration.ofSeconds(60));
        assertThat(defaults.heartbeat()).isEqualTo(Duration.ofSeconds(20));
        assertThat(defaults.manifestLookback()).isEqualTo(Duration.ofDays(14));
        assertThat(defaults.progressInterval()).isEqualTo(Duration.ofSeconds(5));
    }

    @Test
    void visibilityTimeoutMustLeaveTheHeartbeatTimeToExtendIt() {
        assertThatThrownBy(() -> BatchProperties.builder().visibilityTimeout(Duration.ofSeconds(30)).heartbeat(Duration.ofSeconds(20)).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("soi.batch.visibility-timeout PT30S must be whole seconds and at least three soi.batch.heartbeat (PT20S), "
                        + "so the heartbeat extends the messages a run holds before they reappear");
    }

    @Test
    void heartbeatMustBeAtMostAThirdOfTheLease() {
        assertThatThrownBy(() -> BatchProperties.builder().leaseTtl(Duration.ofSeconds(30)).heartbeat(Duration.ofSeconds(15)).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("soi.batch.heartbeat PT15S must be at least 100 ms and at most a third of soi.batch.lease-ttl PT30S, "
                        + "so two missed renewals still leave the lease held");
    }

    @Test
    void invalidUnitIsRefusedWithItsValue() {
        assertThatThrownBy(() -> BatchProperties.builder().units("ae").build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("soi.batch.units holds an invalid business unit: ae");
    }

    @Test
    void emptyRegistryAcceptsEveryUnitAndAFilledOneOnlyItsOwn() {
        assertThat(BatchProperties.defaults().knowsUnit(dev.soi.core.domain.BusinessUnit.of("ZZ"))).isTrue();
        assertThat(BatchProperties.builder().units("AE").build().knowsUnit(dev.soi.core.domain.BusinessUnit.of("ZZ"))).isFalse();
    }

    @Test
    void unsetUnitsComeFromTheApisRegistryAndMustAgreeWithIt() {
        BatchProperties unset = BatchProperties.defaults();
        assertThat(unset.withRegistry("AE, CMF,").units()).containsExactlyInAnyOrder("AE", "CMF");
        assertThat(unset.withRegistry("  ").units()).isEmpty();
        assertThat(unset.withRegistry(null).units()).isEmpty();

        BatchProperties set = BatchProperties.builder().units("AE", "CMF").build();
        assertThat(set.withRegistry("CMF,AE").units()).containsExactlyInAnyOrder("AE", "CMF");
        assertThatThrownBy(() -> set.withRegistry("AE,CMF,FX"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("soi.batch.units [AE, CMF] and soi.business-units [AE, CMF, FX] disagree; set only soi.business-units "
                        + "(SOI_BUSINESS_UNITS), which both the API and the batch read");
    }
}
