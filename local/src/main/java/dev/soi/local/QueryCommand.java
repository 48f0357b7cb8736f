package dev.soi.local;

import dev.soi.embedded.DuckDbQueryEngine;
import dev.soi.core.port.QueryFailedException;
import dev.soi.core.port.QueryResult;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code ./soi query "SQL"}: one SELECT over the two tables on the local engine; a reader, never a writer. */
@Command(name = "query", mixinStandardHelpOptions = true,
        description = "Run one SELECT on the local engine over security_of_interest_pit and security_of_interest_latest. "
                + "Anything else (COPY, ATTACH, other tables, files) is refused.")
final class QueryCommand implements Callable<Integer> {
    @ParentCommand
    Soi soi;
    @Mixin
    JsonOutput output;

    @Parameters(arity = "1", paramLabel = "SQL", description = "the statement, in quotes")
    String sql;

    @Override
    public Integer call() {
        LocalHome home = soi.stateHome();
        QueryResult result;
        try {
            result = new DuckDbQueryEngine(home.catalog()).queryInteractive(sql);
        } catch (IllegalArgumentException e) {
            throw new CliException(Soi.FAILED, "query refused: " + e.getMessage());
        } catch (QueryFailedException e) {
            throw new CliException(Soi.FAILED, "query failed: " + e.reason());
        } catch (IllegalStateException e) {
            throw new CliException(Soi.FAILED, e.getMessage());
        }
        if (output.json) {
            Map<String, Object> document = new LinkedHashMap<>();
            document.put("columns", result.columns());
            document.put("rows", result.rows().stream().map(QueryCommand::plain).toList());
            soi.out.println(JsonOutput.write(document));
        } else {
            int rows = result.rows().size();
            soi.out.println((rows == 1 ? "1 row" : rows + " rows") + " from the local engine; --json gives them as JSON.");
            soi.out.print(TablePrinter.print(result));
        }
        return Soi.OK;
    }

    private static List<Object> plain(List<Object> row) {
        return row.stream().map(v -> v == null || v instanceof Number || v instanceof Boolean ? v : (Object) v.toString()).toList();
    }
}
