package io.dataline.training.trainer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;

/** A run's log: every line to {@code run.log} in the run's directory, the last lines kept for {@code GET /runs/{id}}. */
public final class RunLog implements AutoCloseable {

    private static final int TAIL_CHARS = 4000;

    private final Writer file;
    private final Deque<String> tail = new ArrayDeque<>();
    private int tailChars;

    public RunLog(Path file) {
        try {
            Files.createDirectories(file.getParent());
            this.file = Files.newBufferedWriter(file, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public synchronized void line(String text) {
        String line = Instant.now() + " " + text;
        try {
            file.write(line);
            file.write('\n');
            file.flush();
        } catch (IOException e) {
            // the tail still has it
        }
        tail.addLast(line);
        tailChars += line.length() + 1;
        while (tailChars > TAIL_CHARS && tail.size() > 1) {
            tailChars -= tail.removeFirst().length() + 1;
        }
    }

    public synchronized String tail() {
        return String.join("\n", tail);
    }

    @Override
    public synchronized void close() {
        try {
            file.close();
        } catch (IOException e) {
            // nothing left to do
        }
    }
}
