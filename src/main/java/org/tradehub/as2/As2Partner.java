package org.tradehub.as2;

/**
 * One AS2 partner's profile: who it is (AS2 ids, tenant), which certificate and key are used with it (aliases in
 * the AS2 keystore), what it must send us (signature, encryption) and how we send to it.
 */
public record As2Partner(
        String partnerId,
        String tenantId,
        String as2Id,
        String ourAs2Id,
        String url,
        String partnerCertAlias,
        String ourKeyAlias,
        boolean requireSignature,
        boolean requireEncryption,
        boolean signOutbound,
        boolean encryptOutbound,
        Compression compressOutbound,
        String signingAlgorithm,
        String encryptionAlgorithm,
        MdnMode mdnMode,
        boolean mdnSigned,
        int mdnTimeoutSeconds) {

    public enum Compression {
        NONE, BEFORE_SIGNING, AFTER_SIGNING;

        public String wire() {
            return name().toLowerCase().replace('_', '-');
        }

        public static Compression of(String wire) {
            return valueOf(wire.toUpperCase().replace('-', '_'));
        }
    }

    public enum MdnMode {
        NONE, SYNC, ASYNC;

        public String wire() {
            return name().toLowerCase();
        }

        public static MdnMode of(String wire) {
            return valueOf(wire.toUpperCase());
        }
    }
}
