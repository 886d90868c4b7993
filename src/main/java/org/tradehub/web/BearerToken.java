package org.tradehub.web;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/** The token of an {@code Authorization: Bearer <token>} header, and its constant-time comparison. */
public final class BearerToken {

    private BearerToken() {
    }

    /** The token, or null when the header is absent or of another scheme (the scheme is case-insensitive, RFC 7235). */
    public static String of(String authorizationHeader) {
        if (authorizationHeader == null || !authorizationHeader.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return null;
        }
        return authorizationHeader.substring(7).trim();
    }

    /** True when the header carries exactly the expected token; an unset (empty) token matches nothing. */
    public static boolean matches(String authorizationHeader, byte[] expected) {
        String token = of(authorizationHeader);
        return expected.length > 0 && token != null
                && MessageDigest.isEqual(expected, token.getBytes(StandardCharsets.UTF_8));
    }
}
