package org.tradehub.events;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.util.Locale;

import org.apache.hc.client5.http.DnsResolver;
import org.apache.hc.client5.http.SystemDefaultDnsResolver;
import org.springframework.stereotype.Component;
import org.tradehub.web.HubProblemException;

/**
 * What a firm may name as its event endpoint, and where the hub will connect for it. A firm chooses the URL, so
 * without this the hub could be made to post into its own network (its management port, the broker's console, a
 * cloud metadata service: server-side request forgery). Refused: anything but http(s), credentials in the URL, and
 * every host that resolves to a loopback, private, link-local, shared or multicast address, checked when the URL is
 * saved and again at each connection ({@link #resolver()}: a name that resolved to a public address when saved can
 * point elsewhere later). hub.events.allow-private-addresses lifts the address rule (a hub inside a firm's own
 * network, the tests); hub.events.require-https false allows plain http.
 */
@Component
public class EndpointGuard {

    private final boolean requireHttps;
    private final boolean allowPrivate;

    @org.springframework.beans.factory.annotation.Autowired
    public EndpointGuard(EventsProperties config) {
        this(config.requireHttps(), config.allowPrivateAddresses());
    }

    EndpointGuard(boolean requireHttps, boolean allowPrivate) {
        this.requireHttps = requireHttps;
        this.allowPrivate = allowPrivate;
    }

    /** The URL as it will be used, or a 400 saying what is wrong with it. */
    public URI check(String url) {
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            throw HubProblemException.badRequest("url is not a valid URL: " + e.getMessage());
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("https") && !(scheme.equals("http") && !requireHttps)) {
            throw HubProblemException.badRequest("url must be an https:// URL" + (requireHttps ? "" : " or http://")
                    + ", not " + url);
        }
        if (uri.getHost() == null || uri.getRawUserInfo() != null || uri.getRawFragment() != null) {
            throw HubProblemException.badRequest("url needs a host name and may carry neither credentials nor a"
                    + " fragment (#...): " + url);
        }
        try {
            resolve(uri.getHost());
        } catch (UnknownHostException e) {
            throw HubProblemException.badRequest("url: " + e.getMessage());
        }
        return uri;
    }

    /** The host's addresses, refused as a whole if any of them is not a public address. */
    InetAddress[] resolve(String host) throws UnknownHostException {
        InetAddress[] addresses = InetAddress.getAllByName(host);
        if (!allowPrivate) {
            for (InetAddress a : addresses) {
                if (!isPublic(a)) {
                    throw new UnknownHostException(host + " resolves to " + a.getHostAddress()
                            + ", which is not a public address: events are only sent to the internet");
                }
            }
        }
        return addresses;
    }

    /** For the HTTP client that delivers events: every connection goes through the same address rule. */
    public DnsResolver resolver() {
        return new DnsResolver() {
            @Override
            public InetAddress[] resolve(String host) throws UnknownHostException {
                return EndpointGuard.this.resolve(host);
            }

            @Override
            public String resolveCanonicalHostname(String host) throws UnknownHostException {
                return SystemDefaultDnsResolver.INSTANCE.resolveCanonicalHostname(host);
            }
        };
    }

    static boolean isPublic(InetAddress a) {
        if (a.isAnyLocalAddress() || a.isLoopbackAddress() || a.isLinkLocalAddress() || a.isSiteLocalAddress()
                || a.isMulticastAddress()) {
            return false;
        }
        byte[] b = a.getAddress();
        if (a instanceof Inet4Address) {
            int first = b[0] & 0xff;
            int second = b[1] & 0xff;
            return first != 0                                          // "this network"
                    && !(first == 100 && second >= 64 && second < 128)  // shared address space (carrier NAT)
                    && !(first == 192 && second == 0 && (b[2] & 0xff) == 0) // IETF protocol assignments
                    && !(first == 198 && (second == 18 || second == 19)) // benchmarking
                    && first < 240;                                     // reserved and broadcast
        }
        if (a instanceof Inet6Address) {
            int first = b[0] & 0xff;
            if ((first & 0xfe) == 0xfc) {
                return false; // unique local fc00::/7
            }
            // an IPv4 address written as IPv6 (::10.0.0.1; ::ffff:10.0.0.1 Java reads as IPv4 already) or inside NAT64's
            // 64:ff9b::/96 is judged as that IPv4 address
            boolean zeros = true;
            for (int i = 0; i < 12; i++) {
                zeros &= b[i] == 0;
            }
            boolean nat64 = first == 0 && (b[1] & 0xff) == 0x64 && (b[2] & 0xff) == 0xff && (b[3] & 0xff) == 0x9b;
            if (zeros || nat64) {
                try {
                    return isPublic(InetAddress.getByAddress(java.util.Arrays.copyOfRange(b, 12, 16)));
                } catch (UnknownHostException e) {
                    return false;
                }
            }
        }
        return true;
    }
}
