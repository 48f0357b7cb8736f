package dev.soi.aws;

import dev.soi.core.port.QueryEngine;
import dev.soi.core.sql.TableStatements;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.context.annotation.Profile;
import software.amazon.awssdk.services.athena.AthenaClient;

/**
 * The Athena engine and the statements over the tables, in AWS (profile {@code aws}): for the batch only. It needs
 * {@code SOI_AWS_ATHENA_WORKGROUP}; a missing one stops start-up with its name.
 */
@Configuration(proxyBeanMethods = false)
@Profile("aws")
@Import(AwsAdaptersConfiguration.class)
public class AwsQueryConfiguration {

    @Bean(destroyMethod = "close")
    AthenaClient athenaClient(AwsAdapters aws) {
        return aws.athena();
    }

    @Bean
    QueryEngine queryEngine(AwsAdapters aws, AthenaClient athena) {
        return aws.queryEngine(athena);
    }

    @Bean
    TableStatements tableStatements(AwsAdapters aws, S3ObjectStore store) {
        return aws.tableStatements(store);
    }
}
