package io.dataline.console.board;

import io.dataline.console.api.Api;
import io.dataline.console.api.ApiException;
import io.dataline.console.auth.Session;
import io.dataline.console.auth.SessionFilter;
import io.dataline.console.auth.Sessions;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.sse.Sse;
import jakarta.ws.rs.sse.SseEventSink;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.RestQuery;

/**
 * The pipeline board ({@code /}) and its live stream ({@code /board/events}, Server-Sent Events): each pipeline event
 * about a version the person may see becomes that version's row, rendered here and swapped in by the page.
 */
@Path("/")
@Produces(MediaType.TEXT_HTML)
public class BoardResource {

    private static final Logger LOG = Logger.getLogger(BoardResource.class);
    /** Comments on an idle stream, so proxies and browsers keep it open. */
    static final long KEEP_ALIVE_SECONDS = 15;

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance board(Session session, List<Board.DatasetName> datasets, String dataset, List<Row> rows,
                Map<String, Integer> counts);

        static native TemplateInstance board$row(Row row);
    }

    private final Board board;
    private final PipelineFeed feed;
    private final SessionFilter.Current current;
    private final Sessions sessions;
    private final ScheduledExecutorService keepAlive = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread thread = new Thread(r, "console-board-keep-alive");
        thread.setDaemon(true);
        return thread;
    });

    BoardResource(Board board, PipelineFeed feed, SessionFilter.Current current, Sessions sessions) {
        this.board = board;
        this.feed = feed;
        this.current = current;
        this.sessions = sessions;
    }

    @GET
    public TemplateInstance board(@RestQuery String dataset) {
        Session session = current.get();
        CompletableFuture<List<Board.DatasetName>> named = board.datasets(session);
        CompletableFuture<List<Row>> picked = board.rows(session, dataset); // both at once; a dataset it may not see is a 404
        List<Board.DatasetName> datasets = Api.join(named);
        String only = datasets.stream().anyMatch(d -> d.slug().equals(dataset)) ? dataset : null;
        List<Row> rows = only == null && dataset != null ? Api.join(board.rows(session, null)) : Api.join(picked);
        Map<String, Integer> counts = new TreeMap<>();
        rows.forEach(row -> counts.merge(row.outcome(), 1, Integer::sum));
        return Templates.board(session, datasets, only, rows, counts);
    }

    @GET
    @Path("board/events")
    @Produces(MediaType.SERVER_SENT_EVENTS)
    public void events(@RestQuery String dataset, @Context SseEventSink sink, @Context Sse sse) {
        Session session = current.get();
        ExecutorService serial = Executors.newSingleThreadExecutor(r -> { // one stream's rows in event order
            Thread thread = new Thread(r, "console-board-stream");
            thread.setDaemon(true);
            return thread;
        });
        Map<String, FeedEvent> queued = new java.util.concurrent.ConcurrentHashMap<>();
        @SuppressWarnings("unchecked")
        Consumer<FeedEvent>[] self = new Consumer[1];
        java.util.concurrent.ScheduledFuture<?>[] pings = new java.util.concurrent.ScheduledFuture<?>[1];
        Runnable close = () -> {
            feed.unlisten(self[0]);
            serial.shutdownNow();
            if (pings[0] != null) {
                pings[0].cancel(false);
            }
        };
        self[0] = event -> {
            if (sink.isClosed() || !sessions.active(session)) { // logged out or idled out: the stream ends too
                close.run();
                sink.close();
            } else if (event.movesAVersion() && session.sees(event.datasetSlug()) && (dataset == null || dataset.equals(event.datasetSlug()))) {
                String row = event.datasetSlug() + ":" + event.dataVersion();
                if (queued.put(row, event) == null) { // a burst about one version: one re-read, for its latest event
                    serial.execute(() -> push(session, queued.remove(row), sink, sse, close));
                }
            } else if (event.deadLetter() && dataset == null && session.sees(null)) { // dead letters name any dataset
                send(sink, sse.newEventBuilder().name("dead-letter").data(event.topic() + ": " + event.reason()).build(), close);
            }
        };
        feed.listen(self[0]);
        send(sink, sse.newEventBuilder().comment("live").build(), close);
        pings[0] = keepAlive.scheduleAtFixedRate(() -> {
            if (sessions.active(session)) {
                send(sink, sse.newEventBuilder().comment("keep-alive").build(), close);
            } else {
                close.run();
                sink.close();
            }
        }, KEEP_ALIVE_SECONDS, KEEP_ALIVE_SECONDS, TimeUnit.SECONDS);
    }

    private void push(Session session, FeedEvent event, SseEventSink sink, Sse sse, Runnable close) {
        try {
            Row row = board.after(session, event);
            send(sink, sse.newEventBuilder().name("row").id(row.id()).data(Templates.board$row(row).render()).build(), close);
        } catch (ApiException e) {
            if (e.status == 401 || e.status == 403) {
                close.run();
                sink.close();
            } else {
                LOG.debugf("row of %s not refreshed: %s", event.dataVersion(), e.getMessage());
            }
        } catch (InterruptedException stopped) {
            Thread.currentThread().interrupt();
        }
    }

    private static void send(SseEventSink sink, jakarta.ws.rs.sse.OutboundSseEvent event, Runnable close) {
        if (sink.isClosed()) {
            close.run();
            return;
        }
        sink.send(event).whenComplete((done, failure) -> {
            if (failure != null) {
                close.run();
            }
        });
    }
}
