package io.dataline.dataset.webhooks;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Which URLs a webhook may call. Syntactically: absolute http or https, a host, no user info (credentials belong in
 * the token), no fragment. By address: every address the host resolves to must be public — loopback (unless the
 * local stack allows it), private (10/8, 172.16/12, 192.168/16, fc00::/7, 100.64/10), link-local (169.254/16 with
 * the cloud metadata endpoints, fe80::/10), unspecified, multicast and broadcast addresses, the special-purpose
 * ranges 192.0.0/24, 198.18/15 (benchmarking), 240/4 (reserved) and the documentation ranges, and the IPv6 forms that
 * reach IPv4 hosts (IPv4-compatible ::/96, NAT64 64:ff9b::/96 by its embedded address, local-use NAT64
 * 64:ff9b:1::/48, 6to4 2002::/16, Teredo 2001::/32) are refused — unless the host name, the address or a CIDR range
 * containing it is on the allow-list. Checked at registration and again before every attempt, and the attempt
 * connects to the address that was checked ({@link #checkAddresses} returns it): a name that resolves elsewhere the
 * second time (DNS rebinding) cannot move the connection.
 */
public final class UrlPolicy {

    /** Resolves a host name; {@link InetAddress#getAllByName} outside tests. */
    @FunctionalInterface
    public interface Resolver {
        InetAddress[] resolve(String host) throws UnknownHostException;
    }

    /** Why a URL is refused; the message is safe to show to the caller. */
    public static final class RefusedException extends Exception {
        private final boolean permanent;

        RefusedException(String message, boolean permanent) {
            super(message);
            this.permanent = permanent;
        }

        /** False when only name resolution failed (worth another try later). */
        public boolean permanent() {
            return permanent;
        }
    }

    private static final int MAX_URL_LENGTH = 2048;

    private final boolean allowLoopback;
    private final List<String> allowedHosts = new ArrayList<>();
    private final List<byte[][]> allowedRanges = new ArrayList<>();
    private final Resolver resolver;

    public UrlPolicy(boolean allowLoopback, List<String> allowList, Resolver resolver) {
        this.allowLoopback = allowLoopback;
        this.resolver = resolver;
        for (String entry : allowList) {
            String trimmed = entry.trim().toLowerCase(Locale.ROOT);
            if (trimmed.isEmpty()) {
                continue;
            }
            if (trimmed.contains("/")) {
                allowedRanges.add(cidr(trimmed));
            } else {
                allowedHosts.add(normalized(stripBrackets(trimmed)));
            }
        }
    }

    /** The URL, if its shape is acceptable. */
    public URI parse(String url) throws RefusedException {
        if (url == null || url.isBlank()) {
            throw new RefusedException("a URL is required", true);
        }
        if (url.length() > MAX_URL_LENGTH) {
            throw new RefusedException("the URL is longer than " + MAX_URL_LENGTH + " characters", true);
        }
        URI uri;
        try {
            uri = new URI(url.trim());
        } catch (URISyntaxException e) {
            throw new RefusedException("not a valid URL: " + e.getReason(), true);
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw new RefusedException("only http and https URLs are allowed", true);
        }
        if (uri.getHost() == null || uri.getHost().isEmpty()) {
            throw new RefusedException("the URL has no host", true);
        }
        if (uri.getRawUserInfo() != null) {
            throw new RefusedException("the URL must not contain user info; give credentials as the webhook's token", true);
        }
        if (uri.getRawFragment() != null) {
            throw new RefusedException("the URL must not have a fragment", true);
        }
        return uri;
    }

    /** Parses and checks every address the host resolves to. */
    public URI check(String url) throws RefusedException {
        URI uri = parse(url);
        checkAddresses(uri);
        return uri;
    }

    /**
     * Checks every address the URI's host resolves to and returns the one to connect to (the first), or null for a host
     * allow-listed by name (any address it resolves to is acceptable).
     */
    public InetAddress checkAddresses(URI uri) throws RefusedException {
        String host = normalized(stripBrackets(uri.getHost().toLowerCase(Locale.ROOT)));
        if (allowedHosts.contains(host)) {
            return null;
        }
        InetAddress[] addresses;
        try {
            addresses = resolver.resolve(host);
        } catch (UnknownHostException e) {
            throw new RefusedException("the host " + host + " cannot be resolved", false);
        }
        for (InetAddress address : addresses) {
            String refusal = refusal(address);
            if (refusal != null && !allowListed(address)) {
                throw new RefusedException("the host " + host + " resolves to " + refusal + " address " + address.getHostAddress()
                        + ", which webhooks may not call unless it is allow-listed (dataline.webhooks.allowed-hosts)", true);
            }
        }
        if (addresses.length == 0) {
            throw new RefusedException("the host " + host + " cannot be resolved", false);
        }
        return addresses[0];
    }

    private String refusal(InetAddress address) {
        if (address.isLoopbackAddress()) {
            return allowLoopback ? null : "a loopback";
        }
        if (address.isAnyLocalAddress()) {
            return "an unspecified";
        }
        if (address.isLinkLocalAddress()) {
            return "a link-local";
        }
        if (address.isSiteLocalAddress()) {
            return "a private";
        }
        if (address.isMulticastAddress()) {
            return "a multicast";
        }
        byte[] b = address.getAddress();
        if (address instanceof Inet4Address) {
            int first = b[0] & 0xff;
            int second = b[1] & 0xff;
            if (first == 0) {
                return "an unspecified";
            }
            if (first == 100 && second >= 64 && second < 128) {
                return "a shared (carrier-grade NAT)";
            }
            if (first == 255) {
                return "a broadcast";
            }
            if (first >= 240) {
                return "a reserved";
            }
            if (first == 198 && (second == 18 || second == 19)) {
                return "a benchmarking";
            }
            int third = b[2] & 0xff;
            if (first == 192 && second == 0 && third == 0) {
                return "a special-purpose (IETF protocol assignments)";
            }
            if (first == 192 && second == 0 && third == 2 || first == 198 && second == 51 && third == 100
                    || first == 203 && second == 0 && third == 113) {
                return "a documentation";
            }
        } else if (address instanceof Inet6Address) {
            if ((b[0] & 0xfe) == 0xfc) {
                return "a private (unique local)";
            }
            if (isNat64(b)) {
                try {
                    return refusal(InetAddress.getByAddress(new byte[] {b[12], b[13], b[14], b[15]}));
                } catch (UnknownHostException e) {
                    return "an invalid";
                }
            }
            if (startsWith(b, 0, 0x64, 0xff, 0x9b, 0, 1)) {
                return "a local-use NAT64";
            }
            if (startsWith(b, 0x20, 0x02)) {
                return "a 6to4";
            }
            if (startsWith(b, 0x20, 0x01, 0, 0)) {
                return "a Teredo";
            }
            if (startsWith(b, 0x20, 0x01, 0x0d, 0xb8)) {
                return "a documentation";
            }
            if (startsWith(b, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)) {
                return "an IPv4-compatible";
            }
        }
        return null;
    }

    private static boolean startsWith(byte[] address, int... prefix) {
        for (int i = 0; i < prefix.length; i++) {
            if ((address[i] & 0xff) != prefix[i]) {
                return false;
            }
        }
        return true;
    }

    /** 64:ff9b::/96, which a NAT64 gateway maps onto the embedded IPv4 address. */
    private static boolean isNat64(byte[] b) {
        if (b[0] != 0 || b[1] != 0x64 || (b[2] & 0xff) != 0xff || (b[3] & 0xff) != 0x9b) {
            return false;
        }
        for (int i = 4; i < 12; i++) {
            if (b[i] != 0) {
                return false;
            }
        }
        return true;
    }

    private boolean allowListed(InetAddress address) {
        if (allowedHosts.contains(address.getHostAddress().toLowerCase(Locale.ROOT))) {
            return true;
        }
        byte[] bytes = address.getAddress();
        for (byte[][] range : allowedRanges) {
            if (inRange(bytes, range[0], range[1][0] & 0xff)) {
                return true;
            }
        }
        return false;
    }

    private static boolean inRange(byte[] address, byte[] network, int prefix) {
        if (address.length != network.length) {
            return false;
        }
        for (int bit = 0; bit < prefix; bit++) {
            int mask = 0x80 >> (bit % 8);
            if ((address[bit / 8] & mask) != (network[bit / 8] & mask)) {
                return false;
            }
        }
        return true;
    }

    private static byte[][] cidr(String entry) {
        String[] parts = entry.split("/", 2);
        if (!isIpLiteral(stripBrackets(parts[0]))) {
            throw new IllegalArgumentException("invalid CIDR range in dataline.webhooks.allowed-hosts: " + entry);
        }
        try {
            byte[] network = InetAddress.getByName(stripBrackets(parts[0])).getAddress();
            int prefix = Integer.parseInt(parts[1]);
            if (prefix < 0 || prefix > network.length * 8) {
                throw new IllegalArgumentException("invalid CIDR range in dataline.webhooks.allowed-hosts: " + entry);
            }
            return new byte[][] {network, {(byte) prefix}};
        } catch (UnknownHostException | NumberFormatException e) {
            throw new IllegalArgumentException("invalid CIDR range in dataline.webhooks.allowed-hosts: " + entry);
        }
    }

    private static boolean isIpLiteral(String host) {
        return host.matches("[0-9.]+") || (host.contains(":") && host.matches("[0-9a-f:.]+"));
    }

    /** IP literals in one spelling ({@code ::1} and {@code 0:0:0:0:0:0:0:1} are the same host); names as given. */
    private static String normalized(String host) {
        if (!isIpLiteral(host)) {
            return host;
        }
        try {
            return InetAddress.getByName(host).getHostAddress().toLowerCase(Locale.ROOT);
        } catch (UnknownHostException e) {
            return host;
        }
    }

    private static String stripBrackets(String host) {
        return host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
    }
}
