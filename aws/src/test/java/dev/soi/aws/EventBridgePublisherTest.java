package dev.soi.aws;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import dev.soi.core.port.DomainEvent;
import dev.soi.core.port.EventPublishException;
import java.net.URI;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;

/** The EventBridge adapter against stubs of PutEvents (JSON 1.1, {@code AWSEvents.PutEvents}). */
class EventBridgePublisherTest {
    private static final DomainEvent EVENT = new DomainEvent("dev.soi.security-of-interest", "SecurityOfInterestRunCompleted", "{\"run_id\":\"r1\"}");
    private WireMockServer bus;
    private EventBridgeClient client;
    private EventBridgePublisher publisher;

    @BeforeEach
    void start() {
        bus = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1"));
        bus.start();
        client = EventBridgeClient.builder()
                .endpointOverride(URI.create("http://127.0.0.1:" + bus.port()))
                .region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")))
                .httpClientBuilder(ApacheHttpClient.builder())
                .overrideConfiguration(o -> o.retryStrategy(AwsRetryStrategy.doNotRetry()))
                .build();
        publisher = new EventBridgePublisher(client, "soi-dev", 2, Duration.ZERO);
    }

    @AfterEach
    void stop() {
        client.close();
        bus.stop();
    }

    private static com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder json(String body) {
        return aResponse().withStatus(200).withHeader("Content-Type", "application/x-amz-json-1.1").withBody(body);
    }

    @Test
    void publishesOneEntryOnTheBus() {
        bus.stubFor(post(urlEqualTo("/")).willReturn(json("{\"FailedEntryCount\":0,\"Entries\":[{\"EventId\":\"e-1\"}]}")));
        publisher.publish(EVENT);
        bus.verify(1, postRequestedFor(urlEqualTo("/")).withHeader("X-Amz-Target", equalTo("AWSEvents.PutEvents"))
                .withRequestBody(matchingJsonPath("$.Entries[0].EventBusName", equalTo("soi-dev")))
                .withRequestBody(matchingJsonPath("$.Entries[0].Source", equalTo("dev.soi.security-of-interest")))
                .withRequestBody(matchingJsonPath("$.Entries[0].DetailType", equalTo("SecurityOfInterestRunCompleted")))
                .withRequestBody(matchingJsonPath("$.Entries[0].Detail", equalTo("{\"run_id\":\"r1\"}"))));
    }

    @Test
    void aFailedEntryThrowsWithItsCodeAndMessage() {
        bus.stubFor(post(urlEqualTo("/")).willReturn(json("{\"FailedEntryCount\":1,\"Entries\":[{\"ErrorCode\":\"AccessDeniedException\","
                + "\"ErrorMessage\":\"not authorized to put events on bus soi-dev\"}]}")));
        assertThatThrownBy(() -> publisher.publish(EVENT)).isInstanceOf(EventPublishException.class)
                .hasMessage("EventBridge refused event SecurityOfInterestRunCompleted on bus soi-dev: AccessDeniedException not authorized to put events on bus soi-dev");
        bus.verify(1, postRequestedFor(urlEqualTo("/")));
    }

    @Test
    void aThrottledEntryIsSentAgain() {
        bus.stubFor(post(urlEqualTo("/")).inScenario("t").whenScenarioStateIs(Scenario.STARTED)
                .willReturn(json("{\"FailedEntryCount\":1,\"Entries\":[{\"ErrorCode\":\"ThrottlingException\",\"ErrorMessage\":\"Rate exceeded\"}]}"))
                .willSetStateTo("ok"));
        bus.stubFor(post(urlEqualTo("/")).inScenario("t").whenScenarioStateIs("ok")
                .willReturn(json("{\"FailedEntryCount\":0,\"Entries\":[{\"EventId\":\"e-2\"}]}")));
        publisher.publish(EVENT);
        bus.verify(2, postRequestedFor(urlEqualTo("/")));
    }
}
