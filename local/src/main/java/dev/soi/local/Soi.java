package dev.soi.local;

import dev.soi.api.security.LocalTokens;
import dev.soi.core.local.DuckDbQueryEngine;
import dev.soi.core.port.QueryFailedException;
import dev.soi.core.port.QueryResult;
import java.io.IOException;
import java.io.PrintStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.springframework.boot.SpringApplication;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The {@code ./soi} commands. {@code local} starts the stack; {@code run} and {@code rebuild-latest} ask a
 * running stack (found through {@code SOI_PORT} or the port file in {@code SOI_HOME}); {@code token} and
 * {@code query} work on {@code SOI_HOME} directly, with or without a running stack.
 */
public final class Soi {
    static final String USAGE = """
            usage: ./soi <command>
              local                                  run the whole stack (API, embedded SQS, batch, DuckDB)
              run                                    one batch run on the running stack now; prints its summary
              rebuild-latest [--full]                rebuild the latest table on the running stack now
              compact [--through YYYY-MM-DD]         compact PIT partitions of closed days (or up to the day, today
                                                     included) into one file per 128 MB on the running stack now
              bootstrap                              create the database and tables (idempotent; local does it at start)
              token --user NAME --business-unit BU [--business-unit BU2 …] [--ttl 12h]
                                                     print a bearer token for the local stack
              query "SQL"                            run SQL on the local engine (tables: security_of_interest_pit,
                                                     security_of_interest_latest)
            environment: SOI_PORT (8080), SOI_HOME (./.soi), SOI_SCHEDULE (60s), SOI_BUSINESS_UNITS (AE,CMF)""";

    private Soi() {}

    /** {@code --through YYYY-MM-DD} as the query string of /local/compact; anything else is a usage error. */
    static String throughQuery(List<String> rest) {
        if (rest.isEmpty()) {
            return "";
        }
        if (rest.size() != 2 || !rest.get(0).equals("--through")) {
            throw new IllegalArgumentException("compact takes only --through YYYY-MM-DD, got " + rest + "\n" + USAGE);
        }
        try {
            return "?through=" + java.time.LocalDate.parse(rest.get(1));
        } catch (java.time.format.DateTimeParseException e) {
            throw new IllegalArgumentException("--through needs a date as YYYY-MM-DD, got " + rest.get(1));
        }
    }

    public static void main(String[] args) {
        int status;
        try {
            status = run(args, System.out, System.err);
        } catch (IllegalArgumentException | IllegalStateException | QueryFailedException e) {
            System.err.println("soi: " + e.getMessage());
            status = 2;
        }
        if (status >= 0) {
            System.exit(status);
        }
    }

    /** Runs a command; returns the exit status, or -1 when the command keeps running (the stack). */
    static int run(String[] args, PrintStream out, PrintStream err) {
        if (args.length == 0 || args[0].equals("help") || args[0].equals("--help") || args[0].equals("-h")) {
            out.println(USAGE);
            return args.length == 0 ? 2 : 0;
        }
        LocalHome home = LocalHome.fromEnvironment();
        List<String> rest = Arrays.asList(args).subList(1, args.length);
        return switch (args[0]) {
            case "local" -> {
                startStack(home, out);
                yield -1;
            }
            case "run" -> callStack(home, "/local/run", out, err);
            case "bootstrap" -> callStack(home, "/local/bootstrap", out, err);
            case "compact" -> callStack(home, "/local/compact" + throughQuery(rest), out, err);
            case "rebuild-latest" -> callStack(home, rest.contains("--full") ? "/local/rebuild-latest?full=true" : "/local/rebuild-latest", out, err);
            case "token" -> {
                out.println(token(home, rest));
                yield 0;
            }
            case "query" -> {
                if (rest.size() != 1) {
                    throw new IllegalArgumentException("query takes one SQL argument in quotes, e.g. ./soi query \"SELECT * FROM security_of_interest_latest\"");
                }
                QueryResult result = new DuckDbQueryEngine(home.catalog()).queryInteractive(rest.get(0));
                out.print(TablePrinter.print(result));
                yield 0;
            }
            default -> throw new IllegalArgumentException("unknown command " + args[0] + "\n" + USAGE);
        };
    }

    static ConfigurableApplicationContext startStack(LocalHome home, PrintStream out) {
        System.setProperty("soi.local.home", home.root().toString());
        System.setProperty("soi.api.auth.secret", home.jwtSecret());
        ConfigurableApplicationContext context = SpringApplication.run(LocalApplication.class);
        String port = context.getEnvironment().getProperty("local.server.port", "8080");
        try {
            Files.writeString(home.portFile(), port);
        } catch (IOException e) {
            throw new IllegalStateException("cannot write " + home.portFile(), e);
        }
        String sample = LocalTokens.mint(home.jwtSecret(), "alice", List.of("AE"), Duration.ofHours(12));
        out.printf("""

                security-of-interest is running on http://localhost:%s (data in %s)
                A token for alice, business unit AE (./soi token --user alice --business-unit AE):
                  TOKEN=%s
                Try:
                  curl -s -X POST localhost:%s/api/v1/security-of-interest/AE -H "Authorization: Bearer $TOKEN" \\
                       -H 'Content-Type: application/json' -d '{"packages":[{"package_name":"job_1","reference_ids":[123,456]}]}'
                  ./soi run
                  curl -s localhost:%s/api/v1/security-of-interest/AE/packages/job_1 -H "Authorization: Bearer $TOKEN"

                """, port, home.root(), sample, port, port);
        return context;
    }

    static String token(LocalHome home, List<String> args) {
        String user = null;
        List<String> units = new ArrayList<>();
        Duration ttl = Duration.ofHours(12);
        for (int i = 0; i < args.size(); i++) {
            String flag = args.get(i);
            if (i + 1 >= args.size()) {
                throw new IllegalArgumentException(flag + " needs a value");
            }
            String value = args.get(++i);
            switch (flag) {
                case "--user" -> user = value;
                case "--business-unit" -> units.addAll(Arrays.asList(value.split(",")));
                case "--ttl" -> ttl = Duration.parse("PT" + value.toUpperCase(java.util.Locale.ROOT));
                default -> throw new IllegalArgumentException("unknown option " + flag + "; token takes --user, --business-unit, --ttl");
            }
        }
        if (user == null || user.isBlank() || units.isEmpty()) {
            throw new IllegalArgumentException("token needs --user NAME and at least one --business-unit BU");
        }
        return LocalTokens.mint(home.jwtSecret(), user, units, ttl);
    }

    private static int callStack(LocalHome home, String path, PrintStream out, PrintStream err) {
        String port = System.getenv("SOI_PORT");
        if (port == null || port.isBlank()) {
            try {
                port = Files.exists(home.portFile()) ? Files.readString(home.portFile()).strip() : "8080";
            } catch (IOException e) {
                port = "8080";
            }
        }
        String token = LocalTokens.mint(home.jwtSecret(), "soi-cli", List.of(), Duration.ofMinutes(5));
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .header("Authorization", "Bearer " + token)
                .timeout(Duration.ofMinutes(30))
                .POST(HttpRequest.BodyPublishers.noBody())
                .build();
        try {
            HttpResponse<String> response = HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());
            (response.statusCode() == 200 ? out : err).println(response.body());
            return response.statusCode() == 200 ? 0 : 1;
        } catch (ConnectException e) {
            err.println("soi: no local stack answers on port " + port + "; start it with ./soi local (SOI_HOME=" + home.root() + ")");
            return 1;
        } catch (IOException e) {
            err.println("soi: calling the local stack failed: " + e);
            return 1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 1;
        }
    }
}
