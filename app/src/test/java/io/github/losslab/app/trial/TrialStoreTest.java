package io.github.losslab.app.trial;

import io.github.losslab.app.experiment.Divergence;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TrialStoreTest {

    @Test
    void aWrittenTrialReadsBackWithItsExactNumbers(@TempDir Path dir) throws IOException {
        TrialStore store = new TrialStore(dir, "demo", "hash-1");
        String result = "{\"loss\":0.1,\"values\":[1.0E-300,0.30000000000000004,\"NaN\"],\"f\":[0.1]}";
        Divergence d = new Divergence("demo", "batch 8", 2, 17, Double.NaN, "training diverged");
        store.write(new TrialOutcome("batch-8", TrialOutcome.Status.DIVERGED, result, List.of(d), null, 1.5, "w"));

        TrialOutcome back = store.load("batch-8").orElseThrow();
        assertThat(back.status()).isEqualTo(TrialOutcome.Status.DIVERGED);
        assertThat(back.result()).isEqualTo(result);
        assertThat(back.divergences()).hasSize(1);
        assertThat(back.divergences().get(0).step()).isEqualTo(17);
        assertThat(back.wallSeconds()).isEqualTo(1.5);
        assertThat(Files.list(store.directory())).extracting(p -> p.getFileName().toString())
                .containsExactly("batch-8.json");
    }

    @Test
    void aTrialOfAnotherConfigurationOrAnUnreadableFileIsToBeRunAgain(@TempDir Path dir) throws IOException {
        new TrialStore(dir, "demo", "hash-1").write(new TrialOutcome("a", TrialOutcome.Status.COMPLETED, "{}",
                List.of(), null, 0, ""));
        assertThat(new TrialStore(dir, "demo", "hash-2").load("a")).isEmpty();
        assertThat(new TrialStore(dir, "demo", "hash-1").load("b")).isEmpty();
        Files.writeString(dir.resolve("trials/a.json"), "{\"key\": \"a\", \"configHash\": \"hash-1\"");
        assertThat(new TrialStore(dir, "demo", "hash-1").load("a")).isEmpty();
    }

    @Test
    void theTallyCountsTheKeptTrialsOfThisConfigurationAndAddsUpTheirTimes(@TempDir Path dir) throws IOException {
        TrialStore store = new TrialStore(dir, "demo", "hash-1");
        StringBuilder big = new StringBuilder("{\"snapshots\":[");
        for (int i = 0; i < 100_000; i++) {
            big.append(i == 0 ? "" : ",").append("[0.5,{\"configHash\":\"hash-2\"}]");
        }
        store.write(new TrialOutcome("a", TrialOutcome.Status.COMPLETED, big.append("]}").toString(), List.of(),
                null, 1.5, "w"));
        store.write(new TrialOutcome("b", TrialOutcome.Status.DIVERGED, null,
                List.of(new Divergence("demo", "b", 0, 3, Double.NaN, "diverged")), null, 2.25, "w"));
        new TrialStore(dir, "demo", "hash-2").write(new TrialOutcome("c", TrialOutcome.Status.COMPLETED, "{}",
                List.of(), null, 100, "w"));
        Files.writeString(store.file("d"), "not json");
        Files.writeString(store.file("e"), "{\"key\": \"e\", \"configHash\": \"hash-1\"");
        Files.writeString(store.file("f"), "{\"key\": \"a\", \"configHash\": \"hash-1\", \"status\": "
                + "\"completed\", \"wallSeconds\": 7}");

        TrialStore.Tally tally = store.tally(List.of("a", "b", "c", "d", "e", "f", "missing"));
        assertThat(tally.done()).as("a and b are kept; c is of another configuration, d and e unreadable, f holds "
                + "another key's trial").isEqualTo(2);
        assertThat(tally.seconds()).isEqualTo(3.75);
        assertThat(store.kept(List.of("a", "b", "c"))).isEqualTo(2);
        assertThat(new TrialStore(dir, "demo", "hash-2").tally(List.of("a", "b", "c")))
                .isEqualTo(new TrialStore.Tally(1, 100));
    }

    @Test
    void aFailedTrialIsNotWritten(@TempDir Path dir) {
        TrialStore store = new TrialStore(dir, "demo", "h");
        assertThatThrownBy(() -> store.write(new TrialOutcome("a", TrialOutcome.Status.FAILED, null, List.of(),
                "boom", 0, ""))).isInstanceOf(IllegalArgumentException.class);
    }
}
