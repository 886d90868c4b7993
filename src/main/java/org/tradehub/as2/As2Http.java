package org.tradehub.as2;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/** The HTTP side of AS2: one POST with the AS2 headers, the answer as bytes. */
final class As2Http {

    /** Headers the JDK client sets itself and refuses to take from us. */
    private static final Set<String> RESTRICTED = Set.of("connection", "content-length", "date", "expect", "host",
            "upgrade", "via", "warning");

    private static final HttpClient CLIENT = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10)).followRedirects(HttpClient.Redirect.NEVER).build();

    private As2Http() {
    }

    /** POSTs and returns the response; a status outside 2xx fails (the caller's back-off sends again). */
    static HttpResponse<byte[]> post(String url, Map<String, String> headers, byte[] body, Duration responseTimeout) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(responseTimeout)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        headers.forEach((name, value) -> {
            if (!RESTRICTED.contains(name.toLowerCase(java.util.Locale.ROOT))) {
                request.header(name, value);
            }
        });
        HttpResponse<byte[]> response = CLIENT.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
        if (response.statusCode() / 100 != 2) {
            throw new IOException("AS2 peer " + url + " answered HTTP " + response.statusCode() + ": "
                    + new String(response.body(), 0, Math.min(response.body().length, 300), java.nio.charset.StandardCharsets.UTF_8));
        }
        return response;
    }

    static String headerBlock(Map<String, String> headers) {
        StringBuilder sb = new StringBuilder();
        headers.forEach((k, v) -> sb.append(k).append(": ").append(v).append("\n"));
        return sb.toString();
    }

    static Map<String, String> parseHeaderBlock(String block) {
        Map<String, String> headers = new LinkedHashMap<>();
        for (String line : block.split("\n")) {
            int colon = line.indexOf(':');
            if (colon > 0) {
                headers.put(line.substring(0, colon), line.substring(colon + 1).trim());
            }
        }
        return headers;
    }
}
