package dev.soi.core.port;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** What every {@link CatalogVersions} does with a table updated several times; each adapter and fake extends it. */
public abstract class CatalogVersionsContract {
    /** The catalog under test. */
    protected abstract CatalogVersions versions();

    /** Updates {@code table} once in the catalog under test, as a swap of the latest table does (creating it first). */
    protected abstract void update(String table);

    @Test
    void pruneKeepsTheNewestVersionsAndSaysHowManyItDeleted() {
        for (int i = 0; i < 7; i++) {
            update("security_of_interest_latest");
        }
        assertThat(versions().count("security_of_interest_latest")).isEqualTo(7);
        assertThat(versions().prune("security_of_interest_latest", 3)).isEqualTo(4);
        assertThat(versions().count("security_of_interest_latest")).isEqualTo(3);
        assertThat(versions().prune("security_of_interest_latest", 3)).as("a repeated prune deletes nothing").isZero();
        update("security_of_interest_latest");
        assertThat(versions().prune("security_of_interest_latest", 3)).isEqualTo(1);
        assertThat(versions().count("security_of_interest_latest")).isEqualTo(3);
    }

    @Test
    void aTableWithFewVersionsOrNoneIsLeftAsItIs() {
        update("security_of_interest_pit");
        assertThat(versions().prune("security_of_interest_pit", 5)).isZero();
        assertThat(versions().count("security_of_interest_pit")).isEqualTo(1);
        assertThat(versions().prune("no_such_table", 5)).isZero();
        assertThat(versions().count("no_such_table")).isZero();
    }

    @Test
    void theCurrentVersionIsAlwaysKept() {
        update("security_of_interest_latest");
        update("security_of_interest_latest");
        assertThatThrownBy(() -> versions().prune("security_of_interest_latest", 0)).isInstanceOf(IllegalArgumentException.class);
        assertThat(versions().prune("security_of_interest_latest", 1)).isEqualTo(1);
        assertThat(versions().count("security_of_interest_latest")).isEqualTo(1);
    }
}
