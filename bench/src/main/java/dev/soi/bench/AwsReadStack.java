package dev.soi.bench;

import com.sun.net.httpserver.HttpServer;
import dev.soi.api.ApiApplication;
import dev.soi.aws.AwsAdapters;
import dev.soi.aws.AwsProperties;
import dev.soi.batch.BatchApplication;
import dev.soi.core.port.InvocationDeadline;
import dev.soi.core.sql.SqlTemplates;
import dev.soi.embedded.ElasticMqServer;
import dev.soi.trino.AthenaProtocolServer;
import dev.soi.trino.AthenaTemplateMatcher;
import dev.soi.trino.LocalTrino;
import dev.soi.trino.TrinoProperties;
import dev.soi.trino.TrinoQueryEngine;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.gaul.s3proxy.S3Proxy;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * AWS mode as the AWS-mode end-to-end test sets it up, for a benchmark: the API and the batch started as deployed
 * (profile {@code aws}), against S3Proxy (its filesystem store on a folder), an Athena endpoint that runs each
 * statement on Trino over that same folder, ElasticMQ for SQS and a loopback stub of EventBridge's PutEvents. The
 * API's AWS calls are counted ({@link #apiCalls}); {@link #athenaAdapters} builds the clients of a second, counted
 * caller of the same services, for the query path the read model replaced.
 */
final class AwsReadStack implements AutoCloseable {
    static final String BUCKET = "soi-bench";
    static final String SECRET = "bench-reads-secret-of-at-least-32-bytes";
    private static final String ACCESS_KEY = "local-access";
    private static final String SECRET_KEY = "local-secret";

    private final List<AutoCloseable> open = new ArrayList<>();
    final AwsCallCounter apiCalls = new AwsCallCounter();
    final ConfigurableApplicationContext api;
    final ConfigurableApplicationContext batch;
    final AthenaProtocolServer athena;

    AwsReadStack(Path home, LocalTrino trino, String unit) throws Exception {
        Path store = Files.createDirectories(home.resolve("s3"));
        S3Proxy proxy = LocalS3Proxy.start(store, ACCESS_KEY, SECRET_KEY);
        open.add(proxy::stop);
        // S3Proxy's filesystem store: a bucket is a folder, so Trino reads the files the S3 clients wrote.
        Files.createDirectories(store.resolve(BUCKET));
        Map<String, String> folders = Map.of("s3://" + BUCKET + "/soi/", store.resolve(BUCKET).resolve("soi") + "/");
        TrinoQueryEngine engine = new TrinoQueryEngine(new TrinoProperties(trino.jdbcUrl(), "soi-bench", folders));
        SqlTemplates sql = new SqlTemplates();
        List<String> templates = new ArrayList<>(AthenaTemplateMatcher.templatesIn("athena"));
        templates.addAll(AthenaTemplateMatcher.templatesIn("common"));
        athena = AthenaProtocolServer.start(engine, new AthenaTemplateMatcher(sql, templates));
        open.add(athena);
        System.setProperty("aws.accessKeyId", ACCESS_KEY);
        System.setProperty("aws.secretAccessKey", SECRET_KEY);
        ElasticMqServer sqs = ElasticMqServer.start(ElasticMqServer.Options.inMemory().withQueues("bench-reads", "bench-reads-dlq"));
        open.add(sqs);
        HttpServer events = eventBridge();
        open.add(() -> events.stop(0));

        String[] settings = {
                "soi.aws.region=us-east-1", "soi.aws.bucket=" + BUCKET, "soi.aws.prefix=soi",
                "soi.aws.queue-url=" + sqs.queueUrl(), "soi.aws.dlq-url=" + sqs.dlqUrl(), "soi.aws.event-bus=soi-bench",
                "soi.aws.env=bench", "soi.aws.endpoints.s3=http://127.0.0.1:" + proxy.getPort(),
                "soi.aws.endpoints.sqs=" + sqs.endpoint(), "soi.aws.endpoints.events=http://127.0.0.1:" + events.getAddress().getPort(),
                "soi.business-units=" + unit, "soi.batch.units=" + unit,
        };
        api = new SpringApplicationBuilder(ApiApplication.class).profiles("aws")
                .initializers(ctx -> ctx.getBeanFactory().registerSingleton("awsCallCounter", apiCalls))
                .run(arguments(settings, "soi.api.auth.mode=hs256", "soi.api.auth.secret=" + SECRET,
                        "soi.api.auth.units-claim=business_units", "soi.api.auth.units-prefix=", "soi.api.auth.principal-claim=sub",
                        "server.port=0", "server.address=127.0.0.1"));
        open.add(api);
        batch = new SpringApplicationBuilder(BatchApplication.class).profiles("aws").web(WebApplicationType.NONE)
                .run(arguments(settings, "spring.batch.job.enabled=false", "soi.aws.athena-workgroup=soi-bench",
                        "soi.aws.athena-output-location=s3://results-bucket/athena/", "soi.aws.endpoints.athena=" + athena.endpoint()));
        open.add(batch);
    }

    /** The API's base URL for {@code unit}. */
    String apiBase(String unit) {
        return "http://127.0.0.1:" + api.getEnvironment().getProperty("local.server.port") + "/api/v1/security-of-interest/" + unit;
    }

    /** The batch's AWS settings with a client factory that adds {@code counter} to every client it builds. */
    AwsAdapters athenaAdapters(AwsCallCounter counter) {
        AwsProperties properties = Binder.get(batch.getEnvironment()).bind("soi.aws", AwsProperties.class).get();
        return new AwsAdapters(properties, List.of(counter), InvocationDeadline.NONE);
    }

    private static String[] arguments(String[] settings, String... more) {
        return Stream.concat(Arrays.stream(settings), Arrays.stream(more)).map(s -> "--" + s).toArray(String[]::new);
    }

    /** EventBridge's PutEvents, accepted: the batch publishes one event per run. */
    private static HttpServer eventBridge() throws java.io.IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            exchange.getRequestBody().readAllBytes();
            byte[] body = "{\"FailedEntryCount\":0,\"Entries\":[{\"EventId\":\"e-1\"}]}".getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/x-amz-json-1.1");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
        return server;
    }

    @Override
    public void close() {
        for (int i = open.size() - 1; i >= 0; i--) {
            try {
                open.get(i).close();
            } catch (Exception e) {
                System.out.println("closing: " + e);
            }
        }
        System.clearProperty("aws.accessKeyId");
        System.clearProperty("aws.secretAccessKey");
    }
}
