package org.tradehub.files;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.springframework.stereotype.Component;

/**
 * The file-channel profiles of the partners (from {@code hub.files.partners}), and the Camel endpoint URIs that
 * reach their servers. Every URI option that matters for safety is set here, in one place: host-key checking on for
 * SFTP, TLS on data and control channel for FTPS, a read lock so a file still being written is never taken, and no
 * endless reconnect loop inside one poll (the poller backs off instead).
 */
@Component
public class FilePartners {

    private final Map<String, FilesProperties.Partner> byId = new LinkedHashMap<>();
    private final FilesProperties config;

    public FilePartners(FilesProperties config) {
        this.config = config;
        for (FilesProperties.Partner p : config.partners()) {
            p.check();
            if (byId.put(p.id(), p) != null) {
                throw new IllegalStateException("hub.files.partners: partner id '" + p.id() + "' appears twice");
            }
        }
    }

    public List<FilesProperties.Partner> all() {
        return List.copyOf(byId.values());
    }

    /** The partner's profile; an unknown id is refused (it never names a server). */
    public FilesProperties.Partner get(String id) {
        FilesProperties.Partner p = id == null ? null : byId.get(id);
        if (p == null) {
            throw new IllegalArgumentException("no file-channel partner '" + id + "' is configured");
        }
        return p;
    }

    /** The poller of one directory of the partner's server (purpose orders or answers), as a cluster singleton. */
    public String consumerUri(FilesProperties.Partner p, String directory, String purpose) {
        Path work = config.workDir().resolve(p.id()).resolve(purpose).toAbsolutePath();
        StringBuilder uri = new StringBuilder("master:files-").append(p.id()).append('-').append(purpose).append(':')
                .append(base(p, directory))
                .append("&include=RAW(").append(p.include()).append(')')
                .append("&readLock=changed&readLockCheckInterval=").append(p.readLockCheckIntervalMs())
                .append("&readLockTimeout=").append(p.readLockTimeoutMs())
                .append("&readLockMinLength=1")
                // archived under a name that never collides: the same name may come again with new content
                .append("&move=${header.hubArchiveDir}/${header.hubArchiveName}")
                .append("&localWorkDirectory=").append(work)
                .append("&delay=").append(p.pollIntervalMs())
                .append("&initialDelay=0&maxMessagesPerPoll=50&sortBy=file:modified")
                // a failed connection fails the poll, and the poll strategy backs off exponentially (FilePollers)
                .append("&throwExceptionOnConnectFailed=true")
                .append("&pollStrategy=#").append(FilePollers.beanName(p.id(), purpose))
                .append("&exceptionHandler=#").append(FilePollers.beanName(p.id(), purpose));
        if (p.doneFileName() != null && !p.doneFileName().isBlank()) {
            // configured as $simple{file:name} (Spring would resolve ${file:name} itself), but handed to Camel as
            // ${file:name}: a $simple{...} token in a consumer URI is evaluated once, without a file, when the route
            // is created, and the done file becomes ".done" for every file (seen in camel-ftp 4.17)
            uri.append("&doneFileName=RAW(").append(p.doneFileName().replace("$simple{", "${")).append(')');
        }
        return uri.toString();
    }

    /** Writes into a directory of the partner's server under a temporary name, renamed when complete. */
    public String producerUri(FilesProperties.Partner p, String directory) {
        // a dot file while it is being written: the partner sees the document only once it is complete
        return base(p, directory) + "&tempPrefix=.uploading-&fileExist=Override";
    }

    private String base(FilesProperties.Partner p, String directory) {
        StringBuilder uri = new StringBuilder(p.protocol()).append("://").append(p.host());
        if (p.port() > 0) {
            uri.append(':').append(p.port());
        }
        uri.append('/').append(directory == null ? "" : directory.replaceFirst("^/+", ""))
                .append("?username=RAW(").append(p.username()).append(')')
                .append("&binary=true&disconnect=false&maximumReconnectAttempts=0")
                .append("&connectTimeout=").append(p.connectTimeoutMs())
                .append("&timeout=").append(Math.max(p.connectTimeoutMs(), 30000))
                .append("&soTimeout=").append(Math.max(p.connectTimeoutMs(), 30000));
        if (p.password() != null && !p.password().isEmpty()) {
            uri.append("&password=RAW(").append(p.password()).append(')');
        }
        switch (p.protocol()) {
            case "sftp" -> {
                uri.append("&strictHostKeyChecking=yes&useUserKnownHostsFile=false&knownHostsFile=")
                        .append(p.knownHostsFile());
                if (p.privateKeyFile() != null && !p.privateKeyFile().isBlank()) {
                    uri.append("&privateKeyFile=").append(p.privateKeyFile());
                    if (p.privateKeyPassphrase() != null && !p.privateKeyPassphrase().isEmpty()) {
                        uri.append("&privateKeyPassphrase=RAW(").append(p.privateKeyPassphrase()).append(')');
                    }
                }
            }
            case "ftps" -> {
                uri.append("&passiveMode=").append(p.passiveMode())
                        .append("&implicit=false&securityProtocol=TLSv1.2&execProt=P&execPbsz=0");
                if (p.trustStoreFile() != null && !p.trustStoreFile().isBlank()) {
                    uri.append("&ftpClient.trustStore.file=").append(p.trustStoreFile())
                            .append("&ftpClient.trustStore.type=PKCS12");
                    if (p.trustStorePassword() != null) {
                        uri.append("&ftpClient.trustStore.password=RAW(").append(p.trustStorePassword()).append(')');
                    }
                }
            }
            default -> uri.append("&passiveMode=").append(p.passiveMode());
        }
        return uri.toString();
    }
}
