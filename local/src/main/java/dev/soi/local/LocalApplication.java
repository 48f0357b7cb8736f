package dev.soi.local;

import dev.soi.api.ApiConfiguration;
import dev.soi.batch.BatchJobConfiguration;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Import;

/**
 * The whole product in one process: the API and the batch job exactly as they run in AWS, over the local
 * stand-ins of {@link LocalStackConfiguration}, with an in-process scheduler. No component scan: the API
 * and batch modules each hold a {@code @SpringBootApplication} of their own for AWS that must not be
 * picked up here.
 */
@SpringBootConfiguration
@EnableAutoConfiguration
@EnableConfigurationProperties(LocalProperties.class)
@Import({LocalStackConfiguration.class, ApiConfiguration.class, BatchJobConfiguration.class,
        LocalScheduler.class, LocalRunController.class, LocalSecurityConfiguration.class})
public class LocalApplication {
}
