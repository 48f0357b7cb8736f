package dev.soi.embedded;

import dev.soi.aws.SqsQueueProperties;
import dev.soi.aws.SqsSubmissionQueue;
import dev.soi.core.port.ReceivedMessage;
import dev.soi.core.port.SubmissionQueue;
import dev.soi.core.port.SubmissionQueueContract;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;

/** The SQS adapter against ElasticMQ: real SQS protocol on loopback, a fresh server and queues per test. */
class SqsSubmissionQueueOnElasticMqTest extends SubmissionQueueContract {
    private static final AtomicInteger QUEUES = new AtomicInteger();
    private ElasticMqServer server;

    @Override
    protected SubmissionQueue newQueue() {
        int n = QUEUES.incrementAndGet();
        server = ElasticMqServer.start(ElasticMqServer.Options.inMemory().withQueues("contract-" + n, "contract-" + n + "-dlq"));
        return new SqsSubmissionQueue(server.client(), server.queueUrl(), server.dlqUrl(), SqsQueueProperties.defaults());
    }

    @AfterEach
    void stop() {
        server.close();
    }
}
