package io.dataline.dataset.webhooks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Covers the outbound URL policy: http/https only, no user info; in production loopback, private, shared,
 * link-local (cloud metadata), unspecified and multicast addresses are refused — also behind a DNS name and in
 * IPv4-mapped or NAT64 spelling — unless a host, address or CIDR range is allow-listed; the local stack's
 * allow-loopback admits loopback only.
 */
class UrlPolicyTest {

    private static final Map<String, String> DNS = Map.of(
            "hooks.example.com", "93.184.216.34",
            "metadata.example.com", "169.254.169.254",
            "intranet.example.com", "10.1.2.3");

    private static final UrlPolicy.Resolver FAKE_DNS = host -> {
        String address = DNS.get(host);
        if (address != null) {
            return new InetAddress[] {InetAddress.getByName(address)};
        }
        if (host.matches("[0-9a-f:.]+")) {
            return new InetAddress[] {InetAddress.getByName(host)};
        }
        throw new UnknownHostException(host);
    };

    private final UrlPolicy production = new UrlPolicy(false, List.of(), FAKE_DNS);

    @Test
    void shouldAcceptPublicHttpAndHttpsUrls() throws Exception {
        assertThat(production.check("https://hooks.example.com/dataline?x=1")).isEqualTo(URI.create("https://hooks.example.com/dataline?x=1"));
        assertThat(production.check("http://93.184.216.34:8080/hook").getPort()).isEqualTo(8080);
    }

    @Test
    void shouldRefuseOtherSchemesUserInfoAndGarbage() {
        assertRefused("ftp://hooks.example.com/x", "only http and https");
        assertRefused("file:///etc/passwd", "only http and https");
        assertRefused("https://user:pass@hooks.example.com/", "user info");
        assertRefused("https://hooks.example.com/#frag", "fragment");
        assertRefused("not a url", "");
        assertRefused("", "required");
        assertRefused("https://" + "a".repeat(2100) + ".com/", "longer than");
    }

    @Test
    void shouldRefuseInternalAddressesInProduction() {
        for (String url : List.of("http://127.0.0.1:8080/", "http://localhost-literal.invalid/", "http://[::1]/", "http://10.0.0.1/",
                "http://172.16.5.4/", "http://192.168.1.1/", "http://100.64.0.1/", "http://169.254.169.254/latest/meta-data/",
                "http://[fe80::1]/", "http://[fd00::1]/", "http://0.0.0.0/", "http://224.0.0.1/", "http://[::ffff:127.0.0.1]/",
                "http://[64:ff9b::a9fe:a9fe]/", "http://metadata.example.com/", "http://intranet.example.com/")) {
            assertThatThrownBy(() -> production.check(url)).as(url).isInstanceOf(UrlPolicy.RefusedException.class);
        }
    }

    @Test
    void shouldRefuseSpecialPurposeRangesAndTheIpv6FormsThatReachIpv4Hosts() {
        for (String url : List.of("http://198.18.0.1/", "http://198.19.255.254/", "http://240.0.0.1/", "http://250.1.2.3/",
                "http://192.0.0.8/", "http://192.0.2.1/", "http://198.51.100.7/", "http://203.0.113.9/",
                "http://[2002:7f00:1::1]/", "http://[2001:0:4136:e378:8000:63bf:3fff:fdd2]/", "http://[64:ff9b:1::a00:1]/",
                "http://[2001:db8::1]/", "http://[::7f00:1]/")) {
            assertThatThrownBy(() -> production.check(url)).as(url).isInstanceOf(UrlPolicy.RefusedException.class);
        }
        // neighbours of those ranges stay reachable
        for (String url : List.of("http://198.20.0.1/", "http://192.0.1.1/", "http://203.0.114.1/", "http://[2001:4860::8888]/")) {
            org.assertj.core.api.Assertions.assertThatCode(() -> production.check(url)).as(url).doesNotThrowAnyException();
        }
    }

    @Test
    void shouldNameTheAddressToConnectToSoTheNameIsNotResolvedAgain() throws Exception {
        String[] answers = {"93.184.216.34", "127.0.0.1"}; // a rebinding name: public first, loopback on the next lookup
        int[] lookups = {0};
        UrlPolicy rebinding = new UrlPolicy(false, List.of(), host -> new InetAddress[] {InetAddress.getByName(answers[Math.min(lookups[0]++, 1)])});

        InetAddress pinned = rebinding.checkAddresses(URI.create("https://rebind.example.com/hook"));

        assertThat(pinned.getHostAddress()).isEqualTo("93.184.216.34");
        assertThat(lookups[0]).isEqualTo(1);
        assertThatThrownBy(() -> rebinding.checkAddresses(URI.create("https://rebind.example.com/hook")))
                .isInstanceOf(UrlPolicy.RefusedException.class).hasMessageContaining("loopback");
        assertThat(new UrlPolicy(false, List.of("intranet.example.com"), FAKE_DNS).checkAddresses(URI.create("http://intranet.example.com/")))
                .as("a host allow-listed by name is resolved by the client").isNull();
    }

    @Test
    void shouldTellAnUnresolvableHostFromARefusedOne() {
        assertThatThrownBy(() -> production.check("http://nowhere.invalid/"))
                .isInstanceOfSatisfying(UrlPolicy.RefusedException.class, e -> assertThat(e.permanent()).isFalse());
        assertThatThrownBy(() -> production.check("http://metadata.example.com/"))
                .isInstanceOfSatisfying(UrlPolicy.RefusedException.class, e -> {
                    assertThat(e.permanent()).isTrue();
                    assertThat(e.getMessage()).contains("link-local").contains("169.254.169.254").contains("allowed-hosts");
                });
    }

    @Test
    void shouldAdmitAllowListedHostsAddressesAndRanges() throws Exception {
        UrlPolicy allowing = new UrlPolicy(false, List.of("intranet.example.com", "::1", "192.168.0.0/16"), FAKE_DNS);
        allowing.check("http://intranet.example.com/hook");
        allowing.check("http://[0:0:0:0:0:0:0:1]:9000/hook");
        allowing.check("http://192.168.44.2/hook");
        assertThatThrownBy(() -> allowing.check("http://10.0.0.1/")).isInstanceOf(UrlPolicy.RefusedException.class);
        assertThatThrownBy(() -> allowing.check("http://169.254.169.254/")).isInstanceOf(UrlPolicy.RefusedException.class);
        assertThatThrownBy(() -> new UrlPolicy(false, List.of("example.com/8"), FAKE_DNS)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void shouldAdmitOnlyLoopbackOnTheLocalStack() throws Exception {
        UrlPolicy local = new UrlPolicy(true, List.of(), FAKE_DNS);
        local.check("http://127.0.0.1:4000/hook");
        local.check("http://[::1]:4000/hook");
        assertThatThrownBy(() -> local.check("http://169.254.169.254/")).isInstanceOf(UrlPolicy.RefusedException.class);
        assertThatThrownBy(() -> local.check("http://10.0.0.1/")).isInstanceOf(UrlPolicy.RefusedException.class);
    }

    private void assertRefused(String url, String message) {
        assertThatThrownBy(() -> production.check(url)).as(url)
                .isInstanceOfSatisfying(UrlPolicy.RefusedException.class, e -> assertThat(e.getMessage()).contains(message));
    }
}
