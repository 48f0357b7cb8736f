package dev.soi.batch;

import dev.soi.batch.ops.RunSummary;
import java.util.Arrays;
import java.util.List;
import org.springframework.boot.ExitCodeGenerator;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Import;

/**
 * {@code java -jar batch-exec.jar run|rebuild-latest [--full]|bootstrap|compact [--through=YYYY-MM-DD]}. Runs one command and exits:
 * 0 when it completed or another run held the lease, 1 when it failed, 2 on a usage error. The port
 * beans come from the active profile ({@code aws}); see the module README.
 */
@SpringBootApplication
@Import(BatchJobConfiguration.class)
public class BatchApplication {

    public static void main(String[] args) {
        List<String> arguments = Arrays.asList(args);
        List<String> positional = arguments.stream().filter(a -> !a.startsWith("-")).toList();
        if (positional.size() != 1) {
            System.err.println("usage: batch-exec.jar run | rebuild-latest [--full] | bootstrap | compact [--through=YYYY-MM-DD]");
            System.exit(2);
        }
        SpringApplication application = new SpringApplication(BatchApplication.class);
        application.setAdditionalProfiles("aws");
        application.setDefaultProperties(java.util.Map.of("spring.batch.job.enabled", "false",
                "spring.main.web-application-type", "none"));
        int exit;
        try (ConfigurableApplicationContext context = application.run(args)) {
            java.time.LocalDate through = arguments.stream().filter(a -> a.startsWith("--through=")).findFirst()
                    .map(a -> java.time.LocalDate.parse(a.substring("--through=".length()))).orElse(null);
            RunSummary summary = context.getBean(BatchCommands.class).execute(positional.get(0), arguments.contains("--full"), through);
            System.out.println(summary.line());
            exit = summary.outcome() == RunSummary.Outcome.FAILED ? 1 : 0;
            int code = exit;
            SpringApplication.exit(context, (ExitCodeGenerator) () -> code);
        }
        System.exit(exit);
    }
}
