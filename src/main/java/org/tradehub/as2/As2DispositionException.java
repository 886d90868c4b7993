package org.tradehub.as2;

/**
 * A received AS2 message the hub refuses, with the RFC 4130 disposition modifier the negative MDN carries
 * ("processed/error: authentication-failed") and a plain explanation for the MDN's text part.
 */
public class As2DispositionException extends Exception {

    public static final String AUTHENTICATION_FAILED = "authentication-failed";
    public static final String DECRYPTION_FAILED = "decryption-failed";
    public static final String DECOMPRESSION_FAILED = "decompression-failed";
    public static final String INSUFFICIENT_SECURITY = "insufficient-message-security";
    public static final String INTEGRITY_CHECK_FAILED = "integrity-check-failed";
    public static final String UNEXPECTED = "unexpected-processing-error";

    private final String modifier;

    public As2DispositionException(String modifier, String message) {
        super(message);
        this.modifier = modifier;
    }

    public String modifier() {
        return modifier;
    }
}
