package dev.soi.aws;

import dev.soi.core.port.CatalogVersions;
import dev.soi.core.port.CatalogVersionsContract;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import software.amazon.awssdk.services.glue.GlueClient;

/** The Glue adapter against the Glue JSON-protocol stand-in, each update a real UpdateTable call. */
class GlueCatalogVersionsContractTest extends CatalogVersionsContract {
    private final GlueStandIn glue = new GlueStandIn("df_trusted_test", 100_000);
    private final GlueClient client = glue.client();
    private final Set<String> created = new HashSet<>();

    @Override
    protected CatalogVersions versions() {
        return new GlueCatalogVersions(client, "df_trusted_test");
    }

    @Override
    protected void update(String table) {
        if (created.add(table)) {
            client.createTable(b -> b.databaseName("df_trusted_test").tableInput(t -> t.name(table)));
        } else {
            client.updateTable(b -> b.databaseName("df_trusted_test").tableInput(t -> t.name(table)));
        }
    }

    @AfterEach
    void stop() {
        client.close();
        glue.close();
    }
}
