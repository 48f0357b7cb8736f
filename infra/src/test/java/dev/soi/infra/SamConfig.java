package dev.soi.infra;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the subset of TOML that samconfig.toml uses: {@code [env.command.parameters]} tables of
 * {@code key = "string" | true | false | number}, with # comments. Anything else fails loudly, so the
 * test cannot silently skip a line it does not understand.
 */
final class SamConfig {
    private static final Pattern TABLE = Pattern.compile("\\[([A-Za-z0-9_.-]+)]");
    private static final Pattern ENTRY = Pattern.compile("([A-Za-z0-9_]+)\\s*=\\s*(\"[^\"]*\"|true|false|[0-9.]+)\\s*(#.*)?");

    private SamConfig() {}

    /** Table name to its entries, values unquoted; top-level keys are under the table name "". */
    static Map<String, Map<String, String>> read(Path file) throws IOException {
        Map<String, Map<String, String>> tables = new LinkedHashMap<>();
        String table = "";
        tables.put(table, new LinkedHashMap<>());
        int number = 0;
        for (String raw : Files.readAllLines(file)) {
            number++;
            String line = raw.strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            Matcher header = TABLE.matcher(line);
            Matcher entry = ENTRY.matcher(line);
            if (header.matches()) {
                table = header.group(1);
                tables.putIfAbsent(table, new LinkedHashMap<>());
            } else if (entry.matches()) {
                String value = entry.group(2);
                if (value.startsWith("\"")) {
                    value = value.substring(1, value.length() - 1);
                }
                tables.get(table).put(entry.group(1), value);
            } else {
                throw new IllegalArgumentException(file.getFileName() + ":" + number + ": not understood: " + raw);
            }
        }
        return tables;
    }
}
