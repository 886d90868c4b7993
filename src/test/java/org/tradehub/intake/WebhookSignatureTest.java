package org.tradehub.intake;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** HMAC-SHA256 as the platforms compute it, checked against published vectors and rotation rules. */
class WebhookSignatureTest {

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void matchesRfc4231TestCase2() {
        byte[] mac = WebhookGuard.hmacSha256(utf8("Jefe"), utf8("what do ya want for nothing?"));
        assertThat(HexFormat.of().formatHex(mac))
                .isEqualTo("5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
    }

    @Test
    void acceptsTheBase64SignatureOfTheRawBytesUnderAnyValidSecret() {
        byte[] body = utf8("{\"permalink\":\"https:\\/\\/shop.example\\/p\"}"); // PHP-escaped, as WooCommerce sends
        String signature = Base64.getEncoder().encodeToString(WebhookGuard.hmacSha256(utf8("old-secret"), body));

        assertThat(WebhookGuard.signatureMatches(body, signature, List.of(utf8("new-secret"), utf8("old-secret"))))
                .isTrue();
        assertThat(WebhookGuard.signatureMatches(body, signature, List.of(utf8("new-secret")))).isFalse();
        // the same JSON re-serialised without the escapes is another message
        assertThat(WebhookGuard.signatureMatches(utf8("{\"permalink\":\"https://shop.example/p\"}"), signature,
                List.of(utf8("old-secret")))).isFalse();
        assertThat(WebhookGuard.signatureMatches(body, "not base64 !!", List.of(utf8("old-secret")))).isFalse();
        assertThat(WebhookGuard.signatureMatches(body, signature, List.of())).isFalse();
    }
}
