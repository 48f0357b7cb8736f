package dev.soi.api;

import dev.soi.api.idempotency.IdempotencyStore;
import dev.soi.api.idempotency.InMemoryIdempotencyStore;
import dev.soi.api.idempotency.ObjectStoreIdempotencyStore;
import dev.soi.api.security.ApiSecurityConfiguration;
import dev.soi.api.snapstart.SnapStartEntropy;
import dev.soi.api.snapstart.SnapStartHooks;
import dev.soi.api.web.ApiExceptionHandler;
import dev.soi.api.web.ProblemErrorController;
import dev.soi.api.web.ProblemErrorReportValve;
import dev.soi.api.web.LambdaContextDeadline;
import dev.soi.api.web.ProblemResponses;
import dev.soi.api.web.RequestLogFilter;
import dev.soi.api.web.SubmissionController;
import dev.soi.core.port.ObjectStore;
import dev.soi.core.port.SubmissionQueue;
import io.micrometer.core.instrument.MeterRegistry;
import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.security.SecurityScheme;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.random.RandomGenerator;
import org.springframework.beans.factory.ObjectProvider;
import org.apache.catalina.core.StandardHost;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.tomcat.servlet.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.context.annotation.PropertySource;
import org.springframework.core.Ordered;

/**
 * The whole web layer, importable by any Boot application with {@code @Import(ApiConfiguration.class)}.
 *
 * <p>The host provides the ports: {@link SubmissionQueue} and {@link ObjectStore} (claim-check payloads, idempotency
 * keys, and the read model the GETs answer from; the API runs no query); optionally a {@link Clock} and a
 * {@link RandomGenerator} (defaults: system UTC clock, a {@link SecureRandom} renewed after SnapStart restores). Defaults for the actuator
 * (health probes, readiness includes the queue) come from {@code soi-api-defaults.properties}, which any
 * {@code application.properties} of the host overrides.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties({ApiProperties.class, BusinessUnitRegistry.class})
@Import({ApiSecurityConfiguration.class, SubmissionController.class, ApiExceptionHandler.class, ProblemErrorController.class,
        SnapStartHooks.class})
@PropertySource("classpath:soi-api-defaults.properties")
public class ApiConfiguration {

    @Bean
    ApiMetrics soiApiMetrics(MeterRegistry registry) {
        return new ApiMetrics(registry);
    }

    @Bean
    ProblemResponses soiProblemResponses(ApiMetrics metrics) {
        return new ProblemResponses(metrics);
    }

    /** Tomcat's own error pages (requests it refuses before any filter runs) as problem documents too. */
    @Bean
    WebServerFactoryCustomizer<TomcatServletWebServerFactory> soiTomcatProblemPages(ProblemResponses problems) {
        return factory -> factory.addContextCustomizers(context -> {
            if (context.getParent() instanceof StandardHost host) {
                // The host adds an ErrorReportValve at start unless one of the configured class is already there.
                host.setErrorReportValveClass(ProblemErrorReportValve.class.getName());
                host.getPipeline().addValve(new ProblemErrorReportValve(problems));
            }
        });
    }

    @Bean
    IdempotencyStore soiIdempotencyStore(ApiProperties properties, ObjectStore objectStore) {
        return properties.idempotency().store().equals(ApiProperties.Idempotency.MEMORY)
                ? new InMemoryIdempotencyStore()
                : new ObjectStoreIdempotencyStore(objectStore);
    }

    @Bean
    SnapStartEntropy soiSnapStartEntropy() {
        return new SnapStartEntropy();
    }

    /** Without a host's {@link RandomGenerator}, ids draw on {@link SnapStartEntropy}, renewed after a SnapStart restore. */
    @Bean
    SubmissionService soiSubmissionService(SubmissionQueue queue, ObjectStore objectStore, IdempotencyStore keys,
                                           ApiProperties properties, ObjectProvider<Clock> clock,
                                           ObjectProvider<RandomGenerator> random, SnapStartEntropy entropy, ApiMetrics metrics) {
        return new SubmissionService(queue, objectStore, keys, properties, clock.getIfAvailable(Clock::systemUTC),
                random.getIfAvailable(entropy::generator), metrics);
    }

    @Bean
    ReadModelReads soiReadModelReads(ObjectStore objectStore, ApiProperties properties) {
        return new ReadModelReads(objectStore, properties.retryAfter());
    }

    @Bean
    QueueHealthIndicator queueHealthIndicator(SubmissionQueue queue) {
        return new QueueHealthIndicator(queue);
    }

    /** Also the {@link dev.soi.core.port.InvocationDeadline} the AWS adapters cap Athena waits at. */
    @Bean
    LambdaContextDeadline soiLambdaContextDeadline() {
        return new LambdaContextDeadline();
    }

    @Bean
    FilterRegistrationBean<LambdaContextDeadline> soiLambdaContextDeadlineFilter(LambdaContextDeadline deadline) {
        FilterRegistrationBean<LambdaContextDeadline> registration = new FilterRegistrationBean<>(deadline);
        registration.addUrlPatterns("/api/*");
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 5);
        return registration;
    }

    @Bean
    FilterRegistrationBean<RequestLogFilter> soiRequestLogFilter() {
        FilterRegistrationBean<RequestLogFilter> registration = new FilterRegistrationBean<>(new RequestLogFilter());
        registration.addUrlPatterns("/api/*");
        // Before Spring Security's chain (order -100), so rejected tokens are logged too.
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 10);
        return registration;
    }

    @Bean
    OpenAPI soiOpenApi() {
        return new OpenAPI()
                .info(new Info().title("security-of-interest API").version("v1")
                        .description("Business units declare which securities each of their packages cares about. "
                                + "Errors are RFC 9457 application/problem+json."))
                .components(new Components().addSecuritySchemes("bearer",
                        new SecurityScheme().type(SecurityScheme.Type.HTTP).scheme("bearer").bearerFormat("JWT")));
    }
}
