package org.tradehub.mappings;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.apache.camel.CamelContext;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.impl.DefaultCamelContext;

/**
 * Runs an inbound mapping template the way the routes do: through Camel's xj endpoint (JSON -> xj XML -> XSLT 3.0
 * on Saxon), with the hub headers passed as XSLT parameters. One CamelContext per test class, no Spring.
 */
final class InboundMapping implements AutoCloseable {

    private final CamelContext camel = new DefaultCamelContext();
    private final ProducerTemplate producer;

    InboundMapping() {
        camel.start();
        producer = camel.createProducerTemplate();
    }

    /** The endpoint URI a route uses for a template under mappings/inbound/ (project root = working directory). */
    static String endpointUri(String template) {
        return "xj:file:mappings/inbound/" + template + "?transformDirection=JSON2XML";
    }

    String map(String template, byte[] jsonBody, Map<String, Object> headers) {
        return producer.requestBodyAndHeaders(endpointUri(template), jsonBody, headers, String.class);
    }

    String map(String template, Path jsonFile, Map<String, Object> headers) throws Exception {
        return map(template, Files.readAllBytes(jsonFile), headers);
    }

    static String read(Path file) throws Exception {
        return Files.readString(file, StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        camel.stop();
    }
}
