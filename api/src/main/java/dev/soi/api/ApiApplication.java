package dev.soi.api;

import dev.soi.aws.AwsAdaptersConfiguration;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Import;

/**
 * The API on its own, as deployed to AWS (profile {@code aws}; its ports come from the host's adapters
 * configuration). No component scan: the web layer comes in through {@link ApiConfiguration} exactly as
 * the local launcher imports it, so both run the same beans.
 */
@SpringBootConfiguration
@EnableAutoConfiguration
@Import({ApiConfiguration.class, AwsAdaptersConfiguration.class})
public class ApiApplication {
    public static void main(String[] args) {
        SpringApplication application = new SpringApplication(ApiApplication.class);
        application.setAdditionalProfiles("aws");
        application.run(args);
    }
}
