package dev.soi.core.testing;

import dev.soi.core.port.CatalogVersions;
import dev.soi.core.port.CatalogVersionsContract;

class InMemoryCatalogVersionsTest extends CatalogVersionsContract {
    private final InMemoryCatalogVersions catalog = new InMemoryCatalogVersions();

    @Override
    protected CatalogVersions versions() {
        return catalog;
    }

    @Override
    protected void update(String table) {
        catalog.updated(table);
    }
}
