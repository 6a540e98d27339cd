package org.dmiplatform.web.internal;

import static org.junit.Assert.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.nio.file.Paths;
import java.util.Iterator;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.Test;

/** docs/api/openapi.yaml is valid YAML and documents exactly the routes the API serves. */
public class OpenApiDocumentTest {
    private static final Set<String> METHODS = Set.of("get", "post", "put", "patch", "delete");

    @Test
    public void documentedOperationsAreTheServedRoutes() throws IOException {
        JsonNode document = new YAMLMapper()
                .readTree(Paths.get("../../docs/api/openapi.yaml").toFile());
        assertEquals("3.1.0", document.get("openapi").asText());
        Set<String> documented = new TreeSet<>();
        for (Iterator<Map.Entry<String, JsonNode>> paths = document.get("paths").fields(); paths.hasNext(); ) {
            Map.Entry<String, JsonNode> path = paths.next();
            path.getValue().fieldNames().forEachRemaining(method -> {
                if (METHODS.contains(method)) {
                    documented.add(method.toUpperCase(Locale.ROOT) + " " + path.getKey());
                }
            });
        }
        try (ApiFixture f = new ApiFixture()) {
            Set<String> served =
                    f.api.routes().stream().map(Route::toString).collect(Collectors.toCollection(TreeSet::new));
            assertEquals(served, documented);
        }
    }
}
