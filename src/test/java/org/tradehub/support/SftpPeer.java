package org.tradehub.support;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PublicKey;
import java.util.List;

import org.apache.sshd.common.config.keys.PublicKeyEntry;
import org.apache.sshd.common.file.virtualfs.VirtualFileSystemFactory;
import org.apache.sshd.common.keyprovider.KeyPairProvider;
import org.apache.sshd.server.SshServer;
import org.apache.sshd.sftp.server.SftpSubsystemFactory;

/** A real SFTP server (Apache MINA SSHD) on a free port, serving a folder under target/, with one user. */
public final class SftpPeer implements AutoCloseable {

    public final Path root;
    public final String user;
    public final String password;
    private final SshServer server;
    private final PublicKey hostKey;

    public SftpPeer(Path root, String user, String password) throws Exception {
        this.root = Files.createDirectories(root);
        this.user = user;
        this.password = password;
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        KeyPair keys = generator.generateKeyPair();
        this.hostKey = keys.getPublic();
        server = SshServer.setUpDefaultServer();
        server.setHost("127.0.0.1");
        server.setPort(0);
        server.setKeyPairProvider(KeyPairProvider.wrap(keys));
        server.setPasswordAuthenticator((u, p, session) -> user.equals(u) && password.equals(p));
        server.setSubsystemFactories(List.of(new SftpSubsystemFactory()));
        server.setFileSystemFactory(new VirtualFileSystemFactory(this.root));
        server.start();
    }

    public int port() {
        return server.getPort();
    }

    /** A known_hosts file that names this server's real host key. */
    public Path knownHosts(Path file) throws IOException {
        return writeKnownHosts(file, hostKey);
    }

    /** A known_hosts file that names another key for this server: the client must refuse to connect. */
    public Path wrongKnownHosts(Path file) throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        return writeKnownHosts(file, generator.generateKeyPair().getPublic());
    }

    private Path writeKnownHosts(Path file, PublicKey key) throws IOException {
        Files.createDirectories(file.getParent());
        return Files.writeString(file, "[127.0.0.1]:" + port() + " " + PublicKeyEntry.toString(key) + "\n");
    }

    @Override
    public void close() throws IOException {
        server.stop(true);
    }
}
