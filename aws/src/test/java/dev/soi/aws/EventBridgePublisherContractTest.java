package dev.soi.aws;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;

import com.github.tomakehurst.wiremock.WireMockServer;
import dev.soi.core.port.DomainEvent;
import dev.soi.core.port.EventPublisher;
import dev.soi.core.port.EventPublisherContract;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The EventBridge adapter against a PutEvents stub; what the bus received is read back from the stub's journal. */
class EventBridgePublisherContractTest extends EventPublisherContract {
    private WireMockServer bus;
    private EventBridgeClient client;

    @Override
    protected EventPublisher publisher() {
        bus = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1"));
        bus.start();
        bus.stubFor(post(urlEqualTo("/")).withHeader("X-Amz-Target", equalTo("AWSEvents.PutEvents"))
                .willReturn(aResponse().withStatus(200).withHeader("Content-Type", "application/x-amz-json-1.1")
                        .withBody("{\"FailedEntryCount\":0,\"Entries\":[{\"EventId\":\"e\"}]}")));
        client = EventBridgeClient.builder()
                .endpointOverride(URI.create("http://127.0.0.1:" + bus.port()))
                .region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")))
                .httpClientBuilder(ApacheHttpClient.builder())
                .build();
        return new EventBridgePublisher(client, "soi-test", 2, Duration.ZERO);
    }

    @Override
    protected List<DomainEvent> delivered() {
        JsonMapper json = JsonMapper.builder().build();
        List<DomainEvent> events = new ArrayList<>();
        bus.findAll(postRequestedFor(urlEqualTo("/"))).forEach(request -> {
            for (JsonNode entry : json.readTree(request.getBodyAsString()).get("Entries")) {
                events.add(new DomainEvent(entry.get("Source").asString(), entry.get("DetailType").asString(), entry.get("Detail").asString()));
            }
        });
        return events;
    }

    @AfterEach
    void stop() {
        client.close();
        bus.stop();
    }
}
