package dev.soi.infra;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * What the HTTP API forwards to the API function: the API itself and the two health probes; Swagger UI's
 * paths only when the ServeSwaggerUi parameter asks. Nothing else (the actuator's metrics, any other path)
 * reaches the function.
 */
class ApiRoutesTest {
    static Map<String, Object> resources;

    @BeforeAll
    static void readTemplate() throws IOException {
        Path dir = Path.of("").toAbsolutePath();
        while (!Files.exists(dir.resolve("template.yaml"))) {
            dir = dir.getParent();
        }
        resources = section(CloudFormationYaml.load(Files.readString(dir.resolve("template.yaml"), StandardCharsets.UTF_8)), "Resources");
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> section(Map<String, Object> node, String key) {
        return (Map<String, Object>) node.get(key);
    }

    @Test
    void theFunctionIsRoutedTheApiAndTheHealthProbesOnlyAndOnlyTheProbesGoWithoutAToken() {
        Map<String, Object> events = section(section(section(resources, "ApiFunction"), "Properties"), "Events");
        List<String> routes = new ArrayList<>();
        List<String> open = new ArrayList<>();
        events.values().forEach(e -> {
            @SuppressWarnings("unchecked")
            Map<String, Object> event = (Map<String, Object>) e;
            assertThat(event.get("Type")).isEqualTo("HttpApi");
            Map<String, Object> properties = section(event, "Properties");
            String route = properties.get("Method") + " " + properties.get("Path");
            routes.add(route);
            Map<String, Object> auth = section(properties, "Auth");
            if (auth != null && "NONE".equals(auth.get("Authorizer"))) {
                open.add(route);
            }
        });

        assertThat(routes).containsExactlyInAnyOrder("ANY /api/{proxy+}", "OPTIONS /api/{proxy+}", "GET /actuator/health/liveness",
                "GET /actuator/health/readiness");
        // A browser's preflight carries no token (CORS): OPTIONS must not reach the JWT authorizer.
        assertThat(open).containsExactlyInAnyOrder("OPTIONS /api/{proxy+}", "GET /actuator/health/liveness",
                "GET /actuator/health/readiness");
    }

    @Test
    void swaggerUiRoutesExistOnlyWhenTheParameterAsks() {
        List<String> conditional = new ArrayList<>();
        resources.forEach((name, r) -> {
            @SuppressWarnings("unchecked")
            Map<String, Object> resource = r instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
            if ("AWS::ApiGatewayV2::Route".equals(resource.get("Type"))) {
                assertThat(resource.get("Condition")).as(name).isEqualTo("ServeSwaggerUiEnabled");
                conditional.add(String.valueOf(section(resource, "Properties").get("RouteKey")));
            }
        });

        assertThat(conditional).containsExactlyInAnyOrder("GET /swagger-ui/{proxy+}", "GET /v3/api-docs/{proxy+}", "GET /v3/api-docs");
        assertThat(section(resources, "SwaggerUiIntegration").get("Condition")).isEqualTo("ServeSwaggerUiEnabled");
        assertThat(section(resources, "SwaggerUiInvokePermission").get("Condition")).isEqualTo("ServeSwaggerUiEnabled");
    }
}
