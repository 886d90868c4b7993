package org.tradehub.events;

import java.net.InetAddress;
import java.net.UnknownHostException;

import org.junit.jupiter.api.Test;
import org.tradehub.web.HubProblemException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A firm's event URL cannot make the hub post into its own network. */
class EndpointGuardTest {

    @Test
    void addressesOfTheHubsOwnNetworkAreNotPublic() throws Exception {
        for (String a : new String[] {"127.0.0.1", "10.1.2.3", "172.16.0.1", "192.168.1.1", "169.254.169.254",
                "0.0.0.0", "100.64.0.1", "224.0.0.1", "255.255.255.255", "::1", "::", "fe80::1", "fd00::1",
                "::ffff:10.0.0.1", "::127.0.0.1", "64:ff9b::a00:1"}) {
            assertThat(EndpointGuard.isPublic(InetAddress.getByName(a))).as(a).isFalse();
        }
        for (String a : new String[] {"93.184.215.14", "8.8.8.8", "2606:4700::1111", "64:ff9b::808:808"}) {
            assertThat(EndpointGuard.isPublic(InetAddress.getByName(a))).as(a).isTrue();
        }
    }

    @Test
    void byDefaultOnlyHttpsToPublicAddressesIsTaken() throws Exception {
        EndpointGuard strict = new EndpointGuard(true, false);
        assertThatThrownBy(() -> strict.check("http://93.184.215.14/hook")).isInstanceOf(HubProblemException.class)
                .hasMessageContaining("https://");
        assertThatThrownBy(() -> strict.check("https://127.0.0.1:9876/observe/health"))
                .isInstanceOf(HubProblemException.class).hasMessageContaining("not a public address");
        assertThatThrownBy(() -> strict.check("https://localhost/hook")).isInstanceOf(HubProblemException.class);
        assertThatThrownBy(() -> strict.check("https://[::1]/hook")).isInstanceOf(HubProblemException.class);
        assertThat(strict.check("https://93.184.215.14/hook").getHost()).isEqualTo("93.184.215.14");
        // and at connection time, for a name that pointed elsewhere when it was saved
        assertThatThrownBy(() -> strict.resolver().resolve("localhost")).isInstanceOf(UnknownHostException.class);

        EndpointGuard open = new EndpointGuard(false, true);
        assertThat(open.check("http://127.0.0.1:8080/hook").getPort()).isEqualTo(8080);
        assertThat(open.resolver().resolve("localhost")).isNotEmpty();
    }
}
