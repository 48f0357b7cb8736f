package dev.soi.embedded;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.BindException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A free port chosen before the bind can be taken meanwhile; the server must not fail the stack for it. */
class ElasticMqServerPortTest {

    @Test
    void aChosenPortTakenBeforeTheBindIsReplacedByAnotherOne() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
             ServerSocket spare = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            int sparePort = spare.getLocalPort();
            spare.close();
            Deque<Integer> chosen = new ArrayDeque<>(List.of(taken.getLocalPort(), sparePort));

            try (ElasticMqServer server = ElasticMqServer.start(ElasticMqServer.Options.inMemory(), null, chosen::removeFirst)) {
                assertThat(chosen).as("both ports were tried").isEmpty();
                assertThat(server.endpoint().getPort()).isEqualTo(sparePort);
                assertThat(server.client().getQueueUrl(b -> b.queueName(ElasticMqServer.DEFAULT_QUEUE)).queueUrl())
                        .isEqualTo(server.queueUrl());
            }
        }
    }

    @Test
    void aPortTheCallerSetIsNeverReplaced() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            ElasticMqServer.Options options = ElasticMqServer.Options.inMemory().withPort(taken.getLocalPort());

            assertThatThrownBy(() -> ElasticMqServer.start(options, null, () -> {
                throw new AssertionError("no other port may be chosen");
            })).hasRootCauseInstanceOf(BindException.class);
        }
    }
}
