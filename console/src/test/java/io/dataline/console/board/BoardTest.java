package io.dataline.console.board;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Which versions' pipelines the board reads: only those that can make it, however many datasets the key sees. */
class BoardTest {

    static final ObjectMapper JSON = new ObjectMapper();

    static JsonNode page(String... hashAndTime) throws Exception {
        StringBuilder versions = new StringBuilder();
        for (int i = 0; i < hashAndTime.length; i += 2) {
            versions.append(versions.isEmpty() ? "" : ",").append("{\"hash\": \"").append(hashAndTime[i]).append("\", \"committedAt\": \"")
                    .append(hashAndTime[i + 1]).append("\"}");
        }
        return JSON.readTree("{\"versions\": [" + versions + "]}");
    }

    @Test
    void shouldReadThePipelinesOfTheNewestVersionsOnlyWhenManyDatasetsOfferMore() throws Exception {
        List<Board.Candidate> all = new ArrayList<>();
        for (int d = 0; d < 40; d++) { // 40 datasets x 5 versions: dataset d's versions committed at minute d*5 .. d*5+4
            String[] page = new String[10];
            for (int v = 0; v < 5; v++) {
                page[2 * v] = "d" + d + "v" + v;
                page[2 * v + 1] = Instant.parse("2026-11-30T00:00:00Z").plusSeconds(60L * (d * 5 + v)).toString();
            }
            all.addAll(Board.candidates("ds" + d, page(page), JSON.readTree("[]")));
        }

        List<Board.Candidate> chosen = Board.chosen(all, Board.ROWS);

        assertThat(all).hasSize(200);
        assertThat(chosen).hasSize(Board.ROWS); // not 200 pipeline reads
        assertThat(chosen.get(0).version()).isEqualTo("d39v4");
        assertThat(chosen).extracting(Board.Candidate::slug).containsOnly("ds39", "ds38", "ds37", "ds36", "ds35", "ds34");
    }

    @Test
    void shouldAlwaysReadBranchHeadsWhoseTimeOnlyTheirPipelineTells() throws Exception {
        JsonNode heads = JSON.readTree("""
                [{"name": "main", "version": "m1"}, {"name": "relabel", "version": "b1"}, {"name": "same", "version": "m1"},
                 {"name": "empty", "version": null}]""");
        List<Board.Candidate> offered = Board.candidates("ds", page("m1", "2026-11-30T10:00:00Z", "m0", "not a time"), heads);

        assertThat(offered).extracting(Board.Candidate::version).containsExactly("m1", "m0", "b1"); // each version once
        List<Board.Candidate> chosen = Board.chosen(offered, 1);
        assertThat(chosen).extracting(Board.Candidate::version).containsExactly("m1", "m0", "b1"); // unknown times are read
    }
}
