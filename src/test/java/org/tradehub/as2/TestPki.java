package org.tradehub.as2;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.Map;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/** Keys and self-signed certificates made by the tests (nothing is committed), and PKCS12 keystores with them. */
public final class TestPki {

    public record Identity(String name, KeyPair keys, X509Certificate certificate) {}

    private TestPki() {
    }

    public static Identity identity(String name, Duration validFor) {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            KeyPair keys = generator.generateKeyPair();
            Instant now = Instant.now();
            X500Name subject = new X500Name("CN=" + name + ", O=Trade hub tests");
            var builder = new JcaX509v3CertificateBuilder(subject, BigInteger.valueOf(now.toEpochMilli()),
                    Date.from(now.minus(Duration.ofDays(1))), Date.from(now.plus(validFor)), subject, keys.getPublic());
            X509Certificate cert = new JcaX509CertificateConverter().getCertificate(
                    builder.build(new JcaContentSignerBuilder("SHA256withRSA").build(keys.getPrivate())));
            return new Identity(name, keys, cert);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** A keystore with one private key entry and any number of trusted certificates. */
    public static byte[] keystore(String password, Identity own, String ownAlias, Map<String, X509Certificate> trusted) {
        try {
            KeyStore ks = KeyStore.getInstance("PKCS12");
            ks.load(null, password.toCharArray());
            if (own != null) {
                ks.setKeyEntry(ownAlias, own.keys().getPrivate(), password.toCharArray(), new Certificate[]{own.certificate()});
            }
            for (var e : trusted.entrySet()) {
                ks.setCertificateEntry(e.getKey(), e.getValue());
            }
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ks.store(out, password.toCharArray());
            return out.toByteArray();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    public static void write(Path file, byte[] keystore) {
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
            try (OutputStream out = Files.newOutputStream(tmp)) {
                out.write(keystore);
            }
            Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
