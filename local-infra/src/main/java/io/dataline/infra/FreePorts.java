package io.dataline.infra;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Free TCP ports on the loopback interface for servers that cannot bind port 0 and report the port themselves.
 * Ports are taken below the kernel's ephemeral range ({@code /proc/sys/net/ipv4/ip_local_port_range}, 32768–60999
 * by default): a "free" port inside it can be taken by any outgoing connection (Kafka, JDBC) between the check and
 * the bind. Within one JVM a port is handed out once; across the processes of one machine (modules built side by side
 * with {@code mvn -T}, a test and the stack it starts) a port another live process picked in the last minutes is not
 * handed out either ({@link PortClaims}).
 */
public final class FreePorts {

    /** The lowest port {@link #range} hands out: above the well-known and the stack's own fixed ports (8080–9084, 18081). */
    static final int LOWEST = 20_000;

    private static final Set<Integer> HANDED_OUT = ConcurrentHashMap.newKeySet();

    private static final PortClaims CLAIMS = PortClaims.shared();

    private FreePorts() {
    }

    /** A port that was free on 127.0.0.1 a moment ago, below the ephemeral range. */
    public static int pick() {
        return range(1);
    }

    /** Where {@link #pickAside} looks: below {@link #LOWEST}, so never a port {@link #range} hands out anywhere. */
    static final int ASIDE_LOWEST = 15_000;

    /**
     * A port that was free a moment ago, from a range apart from the one {@link #pick} and {@link #range} use: for a
     * process that picks a port of its own while another process's picks are in flight (the local stack's broker picks
     * its controller port while a test has handed the stack its service ports, and the two JVMs cannot see each
     * other's picks: from the same range they collided).
     */
    public static int pickAside() {
        for (int attempt = 0; attempt < 200; attempt++) {
            int port = ThreadLocalRandom.current().nextInt(ASIDE_LOWEST, LOWEST);
            if (!HANDED_OUT.contains(port) && !inUse(port) && CLAIMS.claim(List.of(port))) {
                HANDED_OUT.add(port);
                return port;
            }
        }
        throw new IllegalStateException("no free port on 127.0.0.1 between " + ASIDE_LOWEST + " and " + LOWEST);
    }

    /**
     * The first of {@code size} consecutive ports that were free a moment ago, each also free at every one of
     * {@code offsets} from it (e.g. a service's management port), all below the ephemeral range.
     */
    public static int range(int size, int... offsets) {
        int maxOffset = 0;
        for (int offset : offsets) {
            maxOffset = Math.max(maxOffset, offset);
        }
        int highest = ephemeralLow() - 1 - maxOffset - size;
        if (highest <= LOWEST) {
            throw new IllegalStateException("no room below the ephemeral range (" + ephemeralLow() + ") for " + size + " ports");
        }
        for (int attempt = 0; attempt < 200; attempt++) {
            int base = ThreadLocalRandom.current().nextInt(LOWEST, highest);
            if (free(base, size, offsets)) {
                return base;
            }
        }
        throw new IllegalStateException("no " + size + " free ports on 127.0.0.1 below " + ephemeralLow());
    }

    private static boolean free(int base, int size, int[] offsets) {
        List<Integer> ports = new ArrayList<>();
        for (int port = base; port < base + size; port++) {
            ports.add(port);
            for (int offset : offsets) {
                ports.add(port + offset);
            }
        }
        for (int port : ports) {
            if (HANDED_OUT.contains(port) || inUse(port)) {
                return false;
            }
        }
        if (!CLAIMS.claim(ports)) {
            return false;
        }
        HANDED_OUT.addAll(ports);
        return true;
    }

    /** The first port of the kernel's ephemeral range (32768 where it cannot be read). */
    static int ephemeralLow() {
        try {
            // readAllLines, not readString: /proc files report size 0, and readString then reads one byte
            String range = Files.readAllLines(Path.of("/proc/sys/net/ipv4/ip_local_port_range")).get(0).trim();
            return Integer.parseInt(range.split("\\s+")[0]);
        } catch (IOException | RuntimeException e) {
            return 32_768;
        }
    }

    /** Whether something listens on 127.0.0.1:{@code port}. */
    public static boolean inUse(int port) {
        try (ServerSocket socket = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
            return false;
        } catch (IOException e) {
            return true;
        }
    }
}
