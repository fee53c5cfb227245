import java.sql.*;
import java.util.*;
import java.nio.file.*;

/**
 * java -cp postgresql.jar RowCost.java <table> <bytea|uuid|long> <plain|nothing|copy> <transactions> <bytes>: inserts
 * 2,150 rows (a 1M-record commit's chunk rows) per transaction into a table of the scratch database, in statements of
 * 100 rows sent five at a time (as dataset-service's chunk writers do, synchronous_commit off) or as one binary COPY,
 * random 32-byte keys (or a random uuid / bigint) and random data of the given size; prints the backend's CPU per
 * transaction (from /proc, 10 ms ticks) over all but the first three.
 */
public class RowCost {
    static long cpu(int pid) throws Exception {
        String s = Files.readString(Path.of("/proc/" + pid + "/stat"));
        String[] f = s.substring(s.lastIndexOf(')') + 2).split(" ");
        return (Long.parseLong(f[11]) + Long.parseLong(f[12])) * 10;
    }
    public static void main(String[] a) throws Exception {
        String table = a[0], kind = a[1], conflict = a[2];
        int rounds = Integer.parseInt(a[3]);
        int size = Integer.parseInt(a[4]);
        int rowsPerCommit = 2150;
        Connection c = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:20191/scratch", "postgres", "");
        int pid;
        try (ResultSet r = c.createStatement().executeQuery("select pg_backend_pid()")) { r.next(); pid = r.getInt(1); }
        Random rnd = new Random(System.nanoTime());
        c.setAutoCommit(false);
        c.createStatement().execute("set synchronous_commit = off");
        c.commit();
        String tail = conflict.equals("nothing") ? " ON CONFLICT (hash) DO NOTHING" : "";
        StringBuilder b = new StringBuilder("INSERT INTO " + table + " (hash, level, data) VALUES ");
        for (int i = 0; i < 100; i++) b.append(i == 0 ? "(?, ?, ?)" : ", (?, ?, ?)");
        byte[] data = new byte[size];
        long totalCpu = 0, totalWall = 0;
        if (conflict.equals("copy")) {
            org.postgresql.copy.CopyManager cm = c.unwrap(org.postgresql.PGConnection.class).getCopyAPI();
            for (int round = 0; round < rounds; round++) {
                long t0 = System.nanoTime(); long c0 = cpu(pid);
                java.io.ByteArrayOutputStream bo = new java.io.ByteArrayOutputStream();
                java.io.DataOutputStream o = new java.io.DataOutputStream(bo);
                o.write("PGCOPY\n\377\r\n\0".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
                o.writeInt(0); o.writeInt(0);
                for (int i = 0; i < rowsPerCommit; i++) {
                    byte[] h = new byte[32]; rnd.nextBytes(h); rnd.nextBytes(data);
                    o.writeShort(3);
                    o.writeInt(32); o.write(h);
                    o.writeInt(2); o.writeShort(0);
                    o.writeInt(data.length); o.write(data);
                }
                o.writeShort(-1);
                cm.copyIn("COPY " + table + " (hash, level, data) FROM STDIN (FORMAT binary)", new java.io.ByteArrayInputStream(bo.toByteArray()));
                c.commit();
                long wall = (System.nanoTime() - t0) / 1_000_000; long cp = cpu(pid) - c0;
                if (round >= 3) { totalWall += wall; totalCpu += cp; }
            }
        } else
        try (PreparedStatement ps = c.prepareStatement(b + tail)) {
            for (int round = 0; round < rounds; round++) {
                long t0 = System.nanoTime(); long c0 = cpu(pid);
                int done = 0;
                while (done < rowsPerCommit) {
                    int p = 1;
                    for (int i = 0; i < 100; i++) {
                        byte[] h = new byte[32]; rnd.nextBytes(h);
                        rnd.nextBytes(data);
                        switch (kind) {
                            case "bytea": ps.setBytes(p++, h); break;
                            case "uuid": ps.setObject(p++, new UUID(rnd.nextLong(), rnd.nextLong())); break;
                            case "long": ps.setLong(p++, rnd.nextLong()); break;
                        }
                        ps.setShort(p++, (short) 0); ps.setBytes(p++, data.clone());
                    }
                    ps.addBatch(); done += 100;
                    if (done % 500 == 0) ps.executeBatch();
                }
                ps.executeBatch();
                c.commit();
                long wall = (System.nanoTime() - t0) / 1_000_000; long cp = cpu(pid) - c0;
                if (round >= 3) { totalWall += wall; totalCpu += cp; }
            }
        }
        int n = rounds - 3;
        System.out.printf("%s %s %s size %d: wall %.1f ms, backend cpu %.1f ms (%.1f us/row)%n", table, kind, conflict, size,
            totalWall / (double) n, totalCpu / (double) n, totalCpu * 1000.0 / n / rowsPerCommit);
    }
}
