package org.tradehub.as2;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import org.tradehub.ledger.Ids;

/**
 * The PKCS12 keystore that holds our private keys and the partners' certificates, named by alias in the partner
 * profiles. It is read again whenever the file changes (an operator adds a partner certificate with keytool), so onboarding needs no restart. Every lookup returns material for exactly the alias asked for: no
 * state is shared between partners (compare camel-as2's shared MDN responder, CAMEL-24429).
 */
@Component
public class As2Keystore {

    private static final Logger LOG = LoggerFactory.getLogger(As2Keystore.class);

    private final Path file;
    private final char[] password;
    private volatile Loaded loaded = new Loaded(null, null);

    public As2Keystore(As2Properties properties) {
        this.file = properties.keystore();
        this.password = properties.keystorePassword() == null ? new char[0] : properties.keystorePassword().toCharArray();
    }

    /**
     * The keystore as read, and the private keys taken out of it so far: a PKCS12 key is PBE-encrypted, and taking
     * it out (PBKDF2 with thousands of iterations) cost more than the whole RSA work of a message, twice per message
     * (decrypt, sign the MDN). Read again, with an empty cache, when the file changes.
     */
    private record Loaded(FileTime modified, KeyStore store, java.util.Map<String, PrivateKey> keys) {
        Loaded(FileTime modified, KeyStore store) {
            this(modified, store, new java.util.concurrent.ConcurrentHashMap<>());
        }
    }

    private Loaded current() {
        store();
        return loaded;
    }

    /** The keystore as it is on disk now (null if there is none yet). */
    private KeyStore store() {
        try {
            if (file == null || !Files.exists(file)) {
                return null;
            }
            FileTime modified = Files.getLastModifiedTime(file);
            Loaded current = loaded;
            if (current.store() != null && modified.equals(current.modified())) {
                return current.store();
            }
            synchronized (this) {
                if (loaded.store() == null || !modified.equals(loaded.modified())) {
                    KeyStore ks = KeyStore.getInstance("PKCS12");
                    try (InputStream in = Files.newInputStream(file)) {
                        ks.load(in, password);
                    }
                    loaded = new Loaded(modified, ks);
                    LOG.info("AS2 keystore {} loaded ({} entries)", file, ks.size());
                }
                return loaded.store();
            }
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException("The AS2 keystore " + file + " cannot be read (is HUB_AS2_KEYSTORE_PASSWORD"
                    + " right?): " + e.getMessage(), e);
        }
    }

    public X509Certificate certificate(String alias) {
        try {
            KeyStore ks = store();
            X509Certificate cert = ks == null ? null : (X509Certificate) ks.getCertificate(alias);
            if (cert == null) {
                throw new As2ConfigurationException("No certificate '" + alias + "' in the AS2 keystore " + file);
            }
            return cert;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    public PrivateKey privateKey(String alias) {
        try {
            Loaded now = current();
            PrivateKey cached = now.keys().get(alias);
            if (cached != null) {
                return cached;
            }
            KeyStore ks = now.store();
            PrivateKey key = ks == null ? null : (PrivateKey) ks.getKey(alias, password);
            if (key != null) {
                now.keys().put(alias, key);
            }
            if (key == null) {
                throw new As2ConfigurationException("No private key '" + alias + "' in the AS2 keystore " + file);
            }
            return key;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    public boolean has(String alias) {
        try {
            KeyStore ks = store();
            return ks != null && ks.containsAlias(alias);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Stores a partner's certificate under the alias (replacing an earlier certificate of that alias, never one of
     * our private keys). The file is written next to itself and moved into place, so a reader never sees half of it.
     */
    public synchronized void storeCertificate(String alias, X509Certificate certificate) {
        try {
            KeyStore ks = KeyStore.getInstance("PKCS12");
            KeyStore current = store();
            if (current == null) {
                ks.load(null, password);
            } else {
                try (InputStream in = Files.newInputStream(file)) {
                    ks.load(in, password);
                }
            }
            if (ks.isKeyEntry(alias)) {
                throw new As2ConfigurationException("'" + alias + "' is one of our private keys, not a partner certificate");
            }
            ks.setCertificateEntry(alias, certificate);
            Files.createDirectories(file.toAbsolutePath().getParent());
            Path tmp = file.resolveSibling(file.getFileName() + "." + Ids.random() + ".tmp");
            try (var out = Files.newOutputStream(tmp)) {
                ks.store(out, password);
            }
            Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                    java.nio.file.StandardCopyOption.ATOMIC_MOVE);
            loaded = new Loaded(null, null);
            LOG.info("AS2 keystore {}: certificate '{}' stored ({})", file, alias,
                    certificate.getSubjectX500Principal().getName());
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException("The AS2 keystore " + file + " cannot be written: " + e.getMessage(), e);
        }
    }

    /** Certificates (ours and the partners') that expire within the given time, soonest first. */
    public List<Expiring> expiringWithin(Duration within, Instant now) {
        KeyStore ks;
        try {
            ks = store();
        } catch (IllegalStateException e) {
            return List.of(new Expiring("(keystore)", "unreadable: " + e.getMessage(), now));
        }
        if (ks == null) {
            return List.of();
        }
        List<Expiring> result = new ArrayList<>();
        try {
            for (String alias : Collections.list(ks.aliases())) {
                if (ks.getCertificate(alias) instanceof X509Certificate cert
                        && cert.getNotAfter().toInstant().isBefore(now.plus(within))) {
                    result.add(new Expiring(alias, cert.getSubjectX500Principal().getName(), cert.getNotAfter().toInstant()));
                }
            }
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
        result.sort((a, b) -> a.notAfter().compareTo(b.notAfter()));
        return result;
    }

    public record Expiring(String alias, String subject, Instant notAfter) {}
}
