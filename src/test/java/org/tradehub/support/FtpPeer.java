package org.tradehub.support;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.apache.ftpserver.DataConnectionConfigurationFactory;
import org.apache.ftpserver.FtpServer;
import org.apache.ftpserver.FtpServerFactory;
import org.apache.ftpserver.listener.ListenerFactory;
import org.apache.ftpserver.ssl.SslConfigurationFactory;
import org.apache.ftpserver.usermanager.PropertiesUserManagerFactory;
import org.apache.ftpserver.usermanager.impl.BaseUser;
import org.apache.ftpserver.usermanager.impl.WritePermission;

/**
 * A real FTP server (Apache FtpServer) on a free port, serving a folder under target/ to one user; with a key store
 * it speaks explicit TLS (FTPS, AUTH TLS) on the control and data channels.
 */
public final class FtpPeer implements AutoCloseable {

    public final Path root;
    public final int port;
    private final FtpServer server;

    public FtpPeer(Path root, String user, String password, Path keyStore, String keyStorePassword) throws Exception {
        this.root = Files.createDirectories(root);
        this.port = HubTestSupport.freePort();
        FtpServerFactory factory = new FtpServerFactory();
        ListenerFactory listener = new ListenerFactory();
        listener.setServerAddress("127.0.0.1");
        listener.setPort(port);
        DataConnectionConfigurationFactory data = new DataConnectionConfigurationFactory();
        data.setPassiveAddress("127.0.0.1");
        if (keyStore != null) {
            SslConfigurationFactory ssl = new SslConfigurationFactory();
            ssl.setKeystoreFile(keyStore.toFile());
            ssl.setKeystorePassword(keyStorePassword);
            ssl.setKeystoreType("PKCS12");
            listener.setSslConfiguration(ssl.createSslConfiguration());
            listener.setImplicitSsl(false);
            data.setImplicitSsl(false);
        }
        listener.setDataConnectionConfiguration(data.createDataConnectionConfiguration());
        factory.addListener("default", listener.createListener());
        PropertiesUserManagerFactory users = new PropertiesUserManagerFactory();
        Path usersFile = root.resolveSibling(root.getFileName() + "-users.properties");
        if (!Files.exists(usersFile)) {
            Files.createFile(usersFile);
        }
        users.setFile(usersFile.toFile());
        var manager = users.createUserManager();
        BaseUser account = new BaseUser();
        account.setName(user);
        account.setPassword(password);
        account.setHomeDirectory(this.root.toAbsolutePath().toString());
        account.setAuthorities(List.of(new WritePermission()));
        manager.save(account);
        factory.setUserManager(manager);
        server = factory.createServer();
        server.start();
    }

    /** A self-signed server key store and a trust store holding its certificate, made with the JDK's keytool. */
    public static Path[] tlsStores(Path dir, String password) throws Exception {
        Files.createDirectories(dir);
        Path keyStore = dir.resolve("ftps-server.p12");
        Path cert = dir.resolve("ftps-server.cer");
        Path trustStore = dir.resolve("ftps-trust.p12");
        String keytool = Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
        run(keytool, "-genkeypair", "-alias", "ftps", "-keyalg", "RSA", "-keysize", "2048", "-validity", "2",
                "-dname", "CN=localhost", "-ext", "SAN=ip:127.0.0.1,dns:localhost", "-storetype", "PKCS12",
                "-keystore", keyStore.toString(), "-storepass", password, "-keypass", password);
        run(keytool, "-exportcert", "-alias", "ftps", "-keystore", keyStore.toString(), "-storepass", password,
                "-file", cert.toString());
        run(keytool, "-importcert", "-noprompt", "-alias", "ftps", "-file", cert.toString(), "-storetype", "PKCS12",
                "-keystore", trustStore.toString(), "-storepass", password);
        return new Path[] {keyStore, trustStore};
    }

    private static void run(String... command) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        if (p.waitFor() != 0) {
            throw new IllegalStateException(String.join(" ", command) + ": " + out);
        }
    }

    @Override
    public void close() {
        server.stop();
    }
}
