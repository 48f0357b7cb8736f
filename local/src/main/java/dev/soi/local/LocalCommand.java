package dev.soi.local;

import dev.soi.api.security.LocalTokens;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import org.springframework.boot.SpringApplication;
import org.springframework.context.ConfigurableApplicationContext;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParentCommand;

/** {@code ./soi local}: the whole stack in this process, alone on its {@code SOI_HOME}. */
@Command(name = "local", mixinStandardHelpOptions = true,
        description = "Run the whole stack in one process: API, embedded SQS, batch on a schedule, DuckDB. "
                + "One stack per SOI_HOME: a second one is refused at once.")
final class LocalCommand implements Callable<Integer> {
    @ParentCommand
    Soi soi;

    @Override
    public Integer call() {
        LauncherSettings settings = soi.settings();
        // Before anything opens the queue's H2 files: a second stack must fail now, not after 35 s of locks.
        StackLock lock = StackLock.acquire(settings.home());
        startStack(settings, lock, soi.out);
        return Soi.KEEP_RUNNING;
    }

    static ConfigurableApplicationContext startStack(LauncherSettings settings, StackLock lock, PrintStream out) {
        LocalHome home = settings.home();
        settings.systemProperties().forEach(System::setProperty);
        System.setProperty("soi.api.auth.secret", home.jwtSecret());
        ConfigurableApplicationContext context = SpringApplication.run(LocalApplication.class);
        context.registerShutdownHook();
        String port = context.getEnvironment().getProperty("local.server.port", Integer.toString(settings.port()));
        lock.recordPort(Integer.parseInt(port));
        try {
            Files.writeString(home.portFile(), port);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + home.portFile(), e);
        }
        String unit = settings.registry().businessUnits().get(0);
        String sample = LocalTokens.mint(home.jwtSecret(), "alice", List.of(unit), Duration.ofHours(12));
        out.printf("""

                security-of-interest is running on http://localhost:%1$s (data in %2$s). Try the API in a browser, or with curl below.
                  Swagger UI: http://localhost:%1$s/swagger-ui/index.html (press Authorize and paste the token)
                A token for alice, business unit %3$s, valid 12 h (./soi token --user alice --business-unit %3$s):
                  TOKEN=%4$s
                Try:
                  curl -s -X POST localhost:%1$s/api/v1/security-of-interest/%3$s -H "Authorization: Bearer $TOKEN" \\
                       -H 'Content-Type: application/json' -d '{"packages":[{"package_name":"job_1","reference_ids":[123,456]}]}'
                  ./soi run
                  curl -s localhost:%1$s/api/v1/security-of-interest/%3$s/packages/job_1 -H "Authorization: Bearer $TOKEN"

                """, port, home.root(), unit, sample);
        return context;
    }
}
