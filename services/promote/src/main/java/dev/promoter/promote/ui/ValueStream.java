package dev.promoter.promote.ui;

import dev.promoter.promote.definition.DefinitionService;
import dev.promoter.promote.definition.PipelineDefinition;
import dev.promoter.promote.view.ApplicationViews;
import dev.promoter.promote.history.StageHistory;
import dev.promoter.promote.promotion.GateRepositories;
import dev.promoter.promote.stop.LineStops;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;

/**
 * Builds what the dashboard shows from promote's read views ({@link ApplicationViews}), the health verdicts promote
 * keeps, and the images' labels. Reads only; callers hold a session.
 */
@ApplicationScoped
public class ValueStream {

    /** One application as a row of the value stream. */
    public record Row(String application, String repository, LineStops.StopView stoppedLine, List<StreamCell> cells) {
    }

    /**
     * One application's page: its row, and the read view (a page of each stage's history, pending requests, pins);
     * {@code pagedStage} and {@code before}: the stage whose older moves are shown and from where, or null.
     */
    public record Page(Row row, ApplicationViews.ApplicationView view, String pagedStage, Long before) {

        /** Where the live updates of this page are read from: the same page of history. */
        public String fragment() {
            String path = "/ui/applications/" + row.application() + "?fragment=true";
            return pagedStage == null ? path : path + "&stage=" + java.net.URLEncoder.encode(pagedStage,
                    java.nio.charset.StandardCharsets.UTF_8) + "&before=" + before;
        }

        /** Each stage's cell beside its read view, in the stages' order. */
        public List<Stage> stages() {
            List<Stage> stages = new ArrayList<>();
            for (int i = 0; i < view.stages().size(); i++) {
                stages.add(new Stage(row.cells().get(i), view.stages().get(i)));
            }
            return stages;
        }
    }

    /** One stage on the application page: what the value stream shows of it, and its history and waiting digests. */
    public record Stage(StreamCell cell, ApplicationViews.StageView view) {
    }

    private final ApplicationViews views;
    private final DefinitionService definitions;
    private final GateRepositories.Health health;
    private final ImageLabels labels;

    ValueStream(ApplicationViews views, DefinitionService definitions, GateRepositories.Health health,
                ImageLabels labels) {
        this.views = views;
        this.definitions = definitions;
        this.health = health;
        this.labels = labels;
    }

    /** Every application, in name order. */
    public Uni<List<Row>> rows() {
        return views.list().chain(all -> {
            Uni<List<Row>> rows = Uni.createFrom().item(new ArrayList<>());
            for (var summary : all.stream().sorted((a, b) -> a.application().compareTo(b.application())).toList()) {
                rows = rows.chain(list -> page(summary.application(), 1, null, null).map(page -> {
                    list.add(page.row());
                    return list;
                }));
            }
            return rows;
        });
    }

    /**
     * One application, each stage with its newest {@code size} moves, except {@code pagedStage} (when not null) with
     * those below {@code before}; 404 when it has no pipeline definition.
     */
    public Uni<Page> page(String application, int size, String pagedStage, Long before) {
        return views.get(application, size, pagedStage, before).chain(view -> definitions.find(application).chain(definition -> {
            Uni<List<StreamCell>> cells = Uni.createFrom().item(new ArrayList<>());
            for (var stage : view.stages()) {
                cells = cells.chain(list -> cell(definition, view, stage).map(cell -> {
                    list.add(cell);
                    return list;
                }));
            }
            return cells.map(list -> new Page(new Row(view.application(), view.repository(), view.stoppedLine(),
                    List.copyOf(list)), view, pagedStage, before));
        }));
    }

    private Uni<StreamCell> cell(PipelineDefinition definition, ApplicationViews.ApplicationView view,
                                 ApplicationViews.StageView stage) {
        StreamCell.Waiting waiting = stage.pending().isEmpty() ? null : new StreamCell.Waiting(
                stage.pending().get(stage.pending().size() - 1).digest(),
                stage.pending().get(stage.pending().size() - 1).from(),
                stage.pending().get(stage.pending().size() - 1).blockedBecause());
        String pin = stage.pin() == null ? null : "pinned at " + StreamCell.shortDigest(stage.pin().digest()) + " by "
                + stage.pin().by() + (stage.pin().reason() == null ? "" : " (" + stage.pin().reason() + ")");
        if (stage.current() == null) {
            return Uni.createFrom().item(new StreamCell(stage.name(), null, null, null, null, "EMPTY", null,
                    stage.quarantined().size(), pin, waiting));
        }
        StageHistory.Entry latest = stage.currentMove();
        String commit = view.artifacts().stream().filter(a -> a.digest().equals(stage.current())).map(a -> a.commit())
                .findFirst().orElse(null);
        boolean checked = definition != null && definition.stage(stage.name()).map(s -> s.health() != null).orElse(false);
        return health.of(view.application(), stage.name(), stage.current()).chain(healthy -> labels
                .version(view.repository(), stage.current()).map(version -> new StreamCell(stage.name(),
                        stage.current(), version, commit, latest.movedAt(),
                        latest.rollbackOf() != null && healthy == null ? "ROLLED_BACK"
                                : healthy != null ? "HEALTHY" : checked ? "WAITING" : "UNCHECKED",
                        latest.rollbackOf(), stage.quarantined().size(), pin, waiting)));
    }
}
