package org.tradehub.files;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * File channels (prefix {@code hub.files}): the partners whose FTP, FTPS or SFTP servers the hub polls for orders
 * and answers, and writes documents to. See application.yml and README ("File drops") for each key.
 */
@ConfigurationProperties("hub.files")
public record FilesProperties(
        Path workDir,
        long maxFileBytes,
        long maxXmlFileBytes,
        int batchRecords,
        long batchBytes,
        Lease lease,
        List<Partner> partners) {

    public static final Pattern PARTNER_ID = Pattern.compile("[a-z0-9][a-z0-9-]{0,63}");

    public FilesProperties {
        partners = partners == null ? List.of() : List.copyOf(partners);
        lease = lease == null ? new Lease(15000, 5000) : lease;
        maxFileBytes = maxFileBytes <= 0 ? 1L << 30 : maxFileBytes;
        maxXmlFileBytes = maxXmlFileBytes <= 0 ? 16L << 20 : maxXmlFileBytes;
        batchRecords = batchRecords <= 0 ? 500 : batchRecords;
        batchBytes = batchBytes <= 0 ? 8L << 20 : batchBytes;
    }

    /** Leadership lease of the pollers: held for {@code durationMs}, renewed every {@code renewMs}. */
    public record Lease(long durationMs, long renewMs) {}

    /**
     * One partner's file channel. {@code inbox} is the directory on the partner's server the hub takes orders from,
     * {@code dropDirectory} where the hub writes documents for the partner, {@code answersDirectory} where the
     * partner leaves its response files (each optional). Secrets come from the environment, never from this file.
     */
    public record Partner(
            String id,
            String tenant,
            String protocol,
            String host,
            int port,
            String username,
            String password,
            String privateKeyFile,
            String privateKeyPassphrase,
            String knownHostsFile,
            String trustStoreFile,
            String trustStorePassword,
            Boolean passiveMode,
            String inbox,
            String include,
            String format,
            String doneFileName,
            long pollIntervalMs,
            long readLockCheckIntervalMs,
            long readLockTimeoutMs,
            long backoffMaxMs,
            long connectTimeoutMs,
            String dropDirectory,
            String answersDirectory) {

        public Partner {
            protocol = protocol == null ? "sftp" : protocol.toLowerCase(Locale.ROOT);
            format = format == null || format.isBlank() ? "auto" : format.toLowerCase(Locale.ROOT);
            include = include == null || include.isBlank() ? ".*\\.(csv|CSV|xml|XML|edi|EDI|txt|TXT|x12|X12)" : include;
            pollIntervalMs = pollIntervalMs <= 0 ? 30000 : pollIntervalMs;
            readLockCheckIntervalMs = readLockCheckIntervalMs <= 0 ? 5000 : readLockCheckIntervalMs;
            // Camel wants the timeout to leave room for at least two checks
            readLockTimeoutMs = Math.max(readLockTimeoutMs, readLockCheckIntervalMs * 4);
            backoffMaxMs = backoffMaxMs <= 0 ? 600_000 : backoffMaxMs;
            connectTimeoutMs = connectTimeoutMs <= 0 ? 10000 : connectTimeoutMs;
            passiveMode = passiveMode == null ? Boolean.TRUE : passiveMode;
        }

        void check() {
            if (id == null || !PARTNER_ID.matcher(id).matches()) {
                throw new IllegalStateException("hub.files.partners: id '" + id + "' must be lower-case letters,"
                        + " digits and dashes");
            }
            if (tenant == null || tenant.isBlank() || host == null || host.isBlank() || username == null) {
                throw new IllegalStateException("hub.files.partners[" + id + "]: tenant, host and username are required");
            }
            if (!List.of("ftp", "ftps", "sftp").contains(protocol)) {
                throw new IllegalStateException("hub.files.partners[" + id + "]: protocol must be ftp, ftps or sftp");
            }
            if (!List.of("auto", "shopify-csv", "ubl", "edi").contains(format)) {
                throw new IllegalStateException("hub.files.partners[" + id + "]: format must be auto, shopify-csv,"
                        + " ubl or edi");
            }
            if ("sftp".equals(protocol) && (knownHostsFile == null || knownHostsFile.isBlank())) {
                // host-key checking is never off: without known hosts anyone on the path could pose as the server
                throw new IllegalStateException("hub.files.partners[" + id + "]: SFTP needs known-hosts-file");
            }
            if (doneFileName != null && !doneFileName.isBlank()) {
                // Camel resolves only these two tokens in a done file name (written $simple{...}: Spring would take
                // ${file:name} as its own placeholder "file" with default "name", so every file would wait for a
                // file called name.done); a fixed name would be one done file shared by every file of the directory
                String rest = doneFileName.replace("$simple{file:name.noext}", "").replace("$simple{file:name}", "");
                if (rest.length() == doneFileName.length() || rest.matches(".*[{}$/\\&()].*")) {
                    throw new IllegalStateException("hub.files.partners[" + id + "]: done-file-name '" + doneFileName
                            + "' must name the file with $simple{file:name} or $simple{file:name.noext}, e.g."
                            + " $simple{file:name}.done or $simple{file:name.noext}.ready");
                }
            }
            for (String dir : new String[] {inbox, dropDirectory, answersDirectory}) {
                if (dir != null && (dir.contains("..") || dir.contains("?") || dir.contains("&"))) {
                    throw new IllegalStateException("hub.files.partners[" + id + "]: directory '" + dir
                            + "' may not contain '..', '?' or '&'");
                }
            }
        }
    }
}
