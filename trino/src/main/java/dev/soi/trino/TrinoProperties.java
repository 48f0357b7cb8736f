package dev.soi.trino;

import static dev.soi.core.domain.Checks.checkArgument;
import static dev.soi.core.domain.Checks.requireNonNull;

import java.util.Map;
import java.util.TreeMap;

/**
 * How to reach a Trino coordinator and where it finds the files our statements name.
 *
 * @param jdbcUrl  {@code jdbc:trino://host:port/hive}: the catalog is the Hive connector's
 * @param user     the Trino user the statements run as
 * @param folders  s3 location prefix ({@code s3://bucket/prefix/}) to the local folder that holds the same
 *                 keys; Trino here reads local files only, so every {@code s3://} location must be mapped
 * @param metastore the server's file metastore folder ({@link LocalTrino#metastore()}), where the swap of the latest
 *                 table sets its properties as Glue's UpdateTable does; null for an engine that never swaps
 */
public record TrinoProperties(String jdbcUrl, String user, Map<String, String> folders, java.nio.file.Path metastore) {
    /** An engine that never swaps the latest table (it reads, or sets up other tables). */
    public TrinoProperties(String jdbcUrl, String user, Map<String, String> folders) {
        this(jdbcUrl, user, folders, null);
    }

    public TrinoProperties {
        requireNonNull(jdbcUrl, "jdbc url");
        checkArgument(jdbcUrl.startsWith("jdbc:trino://"), "Trino JDBC url must start with jdbc:trino://: %s", jdbcUrl);
        requireNonNull(user, "user");
        checkArgument(!user.isBlank(), "Trino user must not be blank");
        folders = Map.copyOf(new TreeMap<>(requireNonNull(folders, "folders")));
        folders.forEach((prefix, folder) -> {
            checkArgument(prefix.startsWith("s3://") && prefix.endsWith("/"), "mapped location must be s3://bucket/prefix/: %s", prefix);
            checkArgument(folder.startsWith("/") && folder.endsWith("/"), "local folder must be absolute and end with /: %s", folder);
        });
    }
}
