package dev.soi.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.glue.GlueClient;
import software.amazon.awssdk.services.glue.model.ResourceNumberLimitExceededException;

/**
 * The catalog's version count stays bounded over many swaps of the latest table, with Glue's limit per table lowered so
 * that a few dozen unpruned swaps would reach it.
 */
class GlueCatalogVersionsTest {
    private static final String DATABASE = "df_trusted_test";
    private static final String LATEST = "security_of_interest_latest";
    private static final int LIMIT = 25;

    private final GlueStandIn glue = new GlueStandIn(DATABASE, LIMIT);
    private final GlueClient client = glue.client();
    private final GlueCatalogVersions versions = new GlueCatalogVersions(client, DATABASE);

    @Test
    void aThousandSwapsEachFollowedByAPruneStayUnderTheLimit() {
        client.createTable(b -> b.databaseName(DATABASE).tableInput(t -> t.name(LATEST)));
        int deleted = 0;
        int most = 0;
        for (int swap = 0; swap < 1000; swap++) {
            swap();
            most = Math.max(most, glue.versions(LATEST));
            deleted += versions.prune(LATEST, 10);
        }
        assertThat(glue.versions(LATEST)).isEqualTo(10);
        assertThat(versions.count(LATEST)).isEqualTo(10);
        assertThat(most).as("versions right after a swap, before its prune").isEqualTo(11);
        assertThat(deleted).isEqualTo(1001 - 10);
    }

    @Test
    void withoutPruningTheSwapsFailAtTheLimit() {
        client.createTable(b -> b.databaseName(DATABASE).tableInput(t -> t.name(LATEST)));
        for (int swap = 1; swap < LIMIT; swap++) {
            swap();
        }
        assertThatThrownBy(this::swap).isInstanceOf(ResourceNumberLimitExceededException.class)
                .hasMessageContaining("Number of TABLE_VERSION resources exceeds the limit " + LIMIT + " per TABLE");
    }

    @Test
    void aBacklogOfVersionsIsPrunedInBatchesOfAHundredOverSeveralPages() {
        GlueStandIn big = new GlueStandIn(DATABASE, 100_000);
        try (GlueClient bigClient = big.client()) {
            bigClient.createTable(b -> b.databaseName(DATABASE).tableInput(t -> t.name(LATEST)));
            for (int swap = 1; swap < 345; swap++) {
                bigClient.updateTable(b -> b.databaseName(DATABASE).tableInput(t -> t.name(LATEST)));
            }
            GlueCatalogVersions bigVersions = new GlueCatalogVersions(bigClient, DATABASE);
            assertThat(bigVersions.count(LATEST)).isEqualTo(345);
            assertThat(bigVersions.prune(LATEST, 3)).isEqualTo(342);
            assertThat(big.versions(LATEST)).isEqualTo(3);
            // The newest three are those kept: the next update is version 346, and the oldest kept goes first.
            bigClient.updateTable(b -> b.databaseName(DATABASE).tableInput(t -> t.name(LATEST)));
            assertThat(bigVersions.prune(LATEST, 3)).isEqualTo(1);
        } finally {
            big.close();
        }
    }

    @Test
    void anUnknownTableHasNoVersionsAndPrunesNothing() {
        assertThat(versions.count("no_such_table")).isZero();
        assertThat(versions.prune("no_such_table", 3)).isZero();
    }

    private void swap() {
        client.updateTable(b -> b.databaseName(DATABASE).tableInput(t -> t.name(LATEST)));
    }

    @AfterEach
    void stop() {
        client.close();
        glue.close();
    }
}
